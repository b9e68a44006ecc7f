/**
 * A fresh id for one create, sent in the body as `requestId`: HubSpot retries a `hubspot.fetch`
 * once after a 5xx and `hubspot.fetch` cannot send an Idempotency-Key header, so the service
 * treats the body's id as the key and a retried create answers the first invoice instead of making
 * a second one. One id per click: a new click is a new request.
 */
export function newRequestId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return `card-${c.randomUUID()}`;
  // Without Web Crypto (older sandboxes): 128 random bits is plenty to keep two clicks apart.
  const hex = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `card-${hex}`;
}
