/**
 * Outbound webhooks, the pure parts: event types, which URLs may receive them and the retry
 * schedule. The signature header is computed in src/app/webhook-signature.ts (it needs node:crypto).
 */
import { addressKind, hostLiteral } from './ip-address.js';

/** What a portal can subscribe to. */
export const WEBHOOK_EVENT_TYPES = ['invoice.finalized', 'invoice.paid', 'invoice.partially_paid', 'invoice.voided', 'invoice.overdue'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Longest URL we store and call. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why `raw` cannot receive webhooks, or null when it can: https only; plain http only to a
 * loopback host (`localhost`, `127.0.0.1`, `[::1]`) when `allowLoopback` (WEBHOOK_ALLOW_LOOPBACK,
 * off by default); no credentials, no fragment, at most 2048 characters; never an IP literal
 * outside the public ranges (src/domain/ip-address.ts: private, link-local, IPv4-embedding IPv6
 * forms and the other special-purpose ranges), and loopback only when `allowLoopback`. Host names
 * are not resolved here (DNS may change): the delivery client judges the address it connects to,
 * at connect time (src/integrations/webhooks/http-client.ts).
 */
export function webhookUrlProblem(raw: string, opts: { allowLoopback: boolean }): string | null {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`;
  // The URL parser silently drops tabs and line breaks: refuse them rather than call another host.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) return 'must not contain spaces or control characters';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute https URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (url.hash !== '' || raw.includes('#')) return 'must not contain a fragment (#...)';
  // The WHATWG parser has already normalised IP literals (0x7f.1 is 127.0.0.1, [::127.0.0.1] is [::7f00:1]).
  const host = url.hostname.toLowerCase();
  const kind = addressKind(hostLiteral(host));
  const loopback = LOOPBACK_NAMES.has(host) || host.endsWith('.localhost') || kind === 'loopback';
  if (url.protocol === 'http:') {
    if (opts.allowLoopback && LOOPBACK_NAMES.has(host)) return null;
    return opts.allowLoopback ? 'must be an https URL (plain http only to localhost, 127.0.0.1 or [::1])' : 'must be an https URL';
  }
  if (loopback) return opts.allowLoopback && (LOOPBACK_NAMES.has(host) || kind === 'loopback') ? null : 'must not point at this machine (loopback)';
  if (kind === 'special') return 'must not point at a private, link-local or other special-purpose address';
  return null;
}

/** Attempts a delivery gets before it is marked failed. */
export const WEBHOOK_MAX_ATTEMPTS = 8;

/**
 * Delay before the attempt after failed attempt `attempt` (1-based): 1 minute, times 4 each time,
 * at most 6 hours, with +-20 % jitter so a receiver coming back is not hit by every retry at once.
 * Eight attempts span about 18 hours. `random` is in [0, 1).
 */
export function webhookRetryDelayMs(attempt: number, random: number = Math.random()): number {
  const base = Math.min(6 * 3600_000, 60_000 * 4 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random));
}

/** A portal's webhook endpoint; the secret stays sealed (src/app/secret-box.ts). */
export interface WebhookEndpoint {
  portalId: number;
  id: string;
  url: string;
  events: WebhookEventType[];
  secretSealed: string;
  createdBy: string | null;
  createdAt: Date;
}

/** One delivery with its attempt log, as the API lists them. */
export interface DeliveryWithAttempts {
  eventId: string;
  eventType: WebhookEventType;
  invoiceId: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
  /** created_at with its microseconds, for the page cursor. */
  createdAtText: string;
  log: Array<{ attempt: number; attemptedAt: Date; durationMs: number; httpStatus: number | null; error: string | null; outcome: string }>;
}
