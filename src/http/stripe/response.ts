import { z } from 'zod';
import { named, timestamp } from '../response-parts.js';

/** GET /api/v1/stripe/connection: `pending` until Stripe enables charges on the account. */
export const stripeConnectionResponse = named(
  'StripeConnection',
  z.strictObject({
    status: z.enum(['not_connected', 'pending', 'connected']),
    accountId: z.string().nullable(),
    chargesEnabled: z.boolean(),
    connectedAt: timestamp.nullable(),
    available: z.boolean().describe('false when the service runs without Stripe keys'),
  }),
);

/** POST /api/v1/stripe/connect: Stripe's page, with a signed single-use state. */
export const stripeConnectResponse = named('StripeConnect', z.strictObject({ url: z.url() }));

/** The Stripe connection as the API shows it. */
export type StripeConnectionResponse = z.infer<typeof stripeConnectionResponse>;
