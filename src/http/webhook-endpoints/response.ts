import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhooks.js';
import { named, pageOf, timestamp, wholeListOf } from '../response-parts.js';

/** An endpoint; the secret only ever appears in the create answer. */
export const webhookEndpointResponse = named(
  'WebhookEndpoint',
  z.strictObject({ id: z.uuid(), url: z.string(), events: z.array(z.enum(WEBHOOK_EVENT_TYPES)), createdAt: timestamp }),
);

/** POST /api/v1/webhook-endpoints: the endpoint and its secret (null in an Idempotency-Key replay). */
export const createdWebhookEndpointResponse = named(
  'CreatedWebhookEndpoint',
  webhookEndpointResponse.extend({ secret: z.string().nullable().describe('whsec_...; shown only here') }),
);

/** GET /api/v1/webhook-endpoints */
export const webhookEndpointListResponse = named('WebhookEndpointList', wholeListOf(webhookEndpointResponse));

/**
 * Why an attempt failed, coarse on purpose (socket errors would map the service's network for a
 * tenant): `timeout`, `refused_address`, `network_error` or `http_<status>`; null when delivered.
 */
const attemptError = z
  .string()
  .regex(/^(timeout|refused_address|network_error|http_[0-9]{3})$/)
  .nullable()
  .describe('timeout, refused_address (the address is not one webhooks may reach), network_error, or http_<status>; null when delivered');

/** One delivery of an event to an endpoint, with every attempt. */
export const webhookDeliveryResponse = named(
  'WebhookDelivery',
  z.strictObject({
    eventId: z.string(),
    eventType: z.enum(WEBHOOK_EVENT_TYPES),
    invoiceId: z.string(),
    state: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: timestamp.nullable(),
    lastStatus: z.number().int().nullable(),
    lastError: attemptError,
    deliveredAt: timestamp.nullable(),
    createdAt: timestamp.nullable(),
    attemptLog: z.array(
      z.strictObject({
        attempt: z.number().int(),
        attemptedAt: timestamp.nullable(),
        durationMs: z.number(),
        status: z.number().int().nullable(),
        error: attemptError,
        outcome: z.string().describe('delivered, retrying or failed'),
      }),
    ),
  }),
);

/** GET /api/v1/webhook-endpoints/{id}/deliveries */
export const webhookDeliveryPageResponse = named('WebhookDeliveryPage', pageOf(webhookDeliveryResponse));

/** An endpoint as the API shows it. */
export type WebhookEndpointResponse = z.infer<typeof webhookEndpointResponse>;
/** One delivery with its attempt log. */
export type WebhookDeliveryResponse = z.infer<typeof webhookDeliveryResponse>;
