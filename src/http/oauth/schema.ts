import { z } from 'zod';

/** GET /oauth/callback: what HubSpot appends to the redirect URL. */
export const callbackQuery = z.object({
  code: z.string().min(1).max(2000),
  state: z.string().min(1).max(200),
});
/** Parsed callback query. */
export type CallbackReq = z.infer<typeof callbackQuery>;
