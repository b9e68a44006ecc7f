import { z } from 'zod';

/** GET /stripe/oauth/callback: Stripe's redirect carries a code, or an error when the user declined. */
export const stripeCallbackQuery = z
  .object({
    state: z.string().min(1).max(200),
    code: z.string().min(1).max(500).optional(),
    scope: z.string().max(100).optional(),
    error: z.string().min(1).max(200).optional(),
    error_description: z.string().max(1000).optional(),
  })
  .refine((q) => Boolean(q.code) !== Boolean(q.error), { message: 'must carry either code or error', path: ['code'] });
export type StripeCallbackReq = z.infer<typeof stripeCallbackQuery>;

/** POST /i/{token}/pay: the hosted page's form (urlencoded). */
export const payForm = z.object({
  amount: z.string().max(40).optional(),
});
export type PayFormReq = z.infer<typeof payForm>;

/** GET /i/{token}/paid?session_id=... */
export const paidQuery = z.object({
  session_id: z.string().regex(/^cs_[A-Za-z0-9_]{1,250}$/, 'must be a Checkout Session id'),
});

/** Public tokens as invoices carry them. */
export const tokenParam = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
