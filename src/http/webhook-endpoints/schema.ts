import { z } from 'zod';
import { MAX_WEBHOOK_URL_LENGTH, WEBHOOK_EVENT_TYPES } from '../../domain/webhooks.js';

/**
 * POST /api/v1/webhook-endpoints. The URL's shape is checked here; whether it may receive webhooks
 * (https, loopback, private addresses) by the use case, which knows the configuration.
 */
export const createWebhookEndpointBody = z.strictObject({
  url: z.string('must be a URL string').min(1, 'must not be empty').max(MAX_WEBHOOK_URL_LENGTH, `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`),
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`))
    .min(1, 'must name at least one event (leave it out for all)')
    .refine((e) => new Set(e).size === e.length, 'must not repeat an event')
    .optional(),
});
export type CreateWebhookEndpointReq = z.infer<typeof createWebhookEndpointBody>;

/**
 * GET /api/v1/webhook-endpoints/{id}/deliveries. Not strict: HubSpot's proxy appends portalId,
 * userId, userEmail and appId to a card's query string.
 */
export const listDeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
