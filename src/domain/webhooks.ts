/**
 * Outbound webhooks, the pure parts: event types, which URLs may receive them, the signature
 * header and the retry schedule.
 */
import { createHmac } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

/** What a portal can subscribe to. */
export const WEBHOOK_EVENT_TYPES = ['invoice.finalized', 'invoice.paid', 'invoice.partially_paid', 'invoice.voided', 'invoice.overdue'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Longest URL we store and call. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

// Addresses a public webhook must never reach (SSRF into the service's own network).
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv6');
}

/** True for an IP literal in a private, loopback, link-local or otherwise non-public range. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  // BlockList matches IPv4-mapped IPv6 (::ffff:10.0.0.1) against the IPv4 ranges as well.
  return PRIVATE.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Why `raw` cannot receive webhooks, or null when it can: https only; plain http only to a
 * loopback host (`localhost`, `127.0.0.1`, `[::1]`) when `allowLoopback` (development); no
 * credentials, no fragment, at most 2048 characters; never an https URL to a private, loopback
 * or link-local IP literal. Host names are not resolved here (DNS may change): the delivery worker
 * resolves them before each attempt (src/app/deliver-webhooks.ts).
 */
export function webhookUrlProblem(raw: string, opts: { allowLoopback: boolean }): string | null {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`;
  // The URL parser silently drops tabs and line breaks: refuse them rather than call another host.
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
  const host = url.hostname.toLowerCase();
  const loopbackName = LOOPBACK_NAMES.has(host) || host.endsWith('.localhost');
  if (url.protocol === 'http:') {
    if (opts.allowLoopback && LOOPBACK_NAMES.has(host)) return null;
    return opts.allowLoopback ? 'must be an https URL (plain http only to localhost, 127.0.0.1 or [::1])' : 'must be an https URL';
  }
  if (loopbackName) return opts.allowLoopback && LOOPBACK_NAMES.has(host) ? null : 'must not point at this machine (loopback)';
  const literal = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isPrivateAddress(literal)) return 'must not point at a private, loopback or link-local address';
  return null;
}

/**
 * The `Invoicing-Signature` header of a delivery, Stripe style: `t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, "<t>.<body>")>`. Receivers recompute it over the raw body and should refuse
 * timestamps far from their clock (replays).
 */
export function webhookSignature(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
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
