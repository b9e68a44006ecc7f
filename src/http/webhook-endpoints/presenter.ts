import type { DeliveryWithAttempts, WebhookEndpoint } from '../../domain/webhooks.js';
import type { WebhookDeliveryResponse, WebhookEndpointResponse } from './response.js';

/** An endpoint as the API shows it; the secret only ever appears in the create response. */
export function presentEndpoint(e: WebhookEndpoint): WebhookEndpointResponse {
  return { id: e.id, url: e.url, events: e.events, createdAt: e.createdAt.toISOString() };
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** One delivery of an event to an endpoint, with every attempt. */
export function presentDelivery(d: DeliveryWithAttempts): WebhookDeliveryResponse {
  return {
    eventId: d.eventId,
    eventType: d.eventType,
    invoiceId: d.invoiceId,
    state: d.state,
    attempts: d.attempts,
    nextAttemptAt: d.state === 'pending' ? iso(d.nextAttemptAt) : null,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    deliveredAt: iso(d.deliveredAt),
    createdAt: iso(d.createdAt),
    attemptLog: d.log.map((a) => ({
      attempt: a.attempt,
      attemptedAt: iso(a.attemptedAt),
      durationMs: a.durationMs,
      status: a.httpStatus,
      error: a.error,
      outcome: a.outcome,
    })),
  };
}
