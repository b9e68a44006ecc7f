import { z } from 'zod';
import { named } from '../response-parts.js';

/** POST /webhooks/hubspot: how many events arrived and what became of each. */
export const hubspotWebhookResponse = named(
  'HubSpotWebhookResult',
  z.strictObject({
    received: z.number().int(),
    applied: z.number().int(),
    duplicate: z.number().int(),
    ignored: z.number().int(),
  }),
);

/** POST /webhooks/stripe: the one event's outcome. */
export const stripeWebhookResponse = named(
  'StripeWebhookResult',
  z.strictObject({ received: z.literal(true), outcome: z.enum(['applied', 'duplicate', 'ignored']) }),
);
