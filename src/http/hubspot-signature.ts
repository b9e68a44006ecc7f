import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/** HubSpot says to reject v3 requests older than 5 minutes; we also refuse ones 5 minutes ahead. */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

/** Why a signature check failed; logged, never shown with the signature itself. */
export type SignatureFailure = 'missing_headers' | 'malformed_timestamp' | 'stale_timestamp' | 'mismatch';
/** Outcome of a signature check. */
export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailure };

// Exactly the characters HubSpot's v3 instructions list; everything else (%20, %26, %3D, ...)
// stays encoded, as HubSpot signed it. Hex case is ignored, as percent-encoding is case-insensitive.
const DECODED: Record<string, string> = {
  '3A': ':',
  '2F': '/',
  '3F': '?',
  '40': '@',
  '21': '!',
  '24': '$',
  '27': "'",
  '28': '(',
  '29': ')',
  '2A': '*',
  '2C': ',',
  '3B': ';',
};

/** The request URI as HubSpot signs it for v3: the listed percent-encodings decoded, nothing else. */
export function decodeSignedUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (_, hex: string) => DECODED[hex.toUpperCase()]!);
}

/** Inputs of a v3 check, as received. */
export interface SignatureV3Input {
  clientSecret: string;
  method: string;
  /** Full URL: scheme, host, path and query exactly as requested (still percent-encoded). */
  uri: string;
  rawBody: Buffer | string;
  signature: string | undefined;
  timestamp: string | undefined;
  /** Current time in ms. */
  now: number;
}

/**
 * Verifies `X-HubSpot-Signature-v3`: base64 HMAC-SHA256, keyed by the app's client secret, over
 * `method + decodedUri + rawBody + timestamp`, with the timestamp (ms) within 5 minutes of now.
 */
export function verifyHubSpotSignatureV3(input: SignatureV3Input): SignatureCheck {
  const { signature, timestamp } = input;
  if (!signature || !timestamp) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'malformed_timestamp' };
  if (Math.abs(input.now - Number(timestamp)) > SIGNATURE_WINDOW_MS) return { ok: false, reason: 'stale_timestamp' };
  // Bytes, not a re-decoded string: the body is hashed exactly as it arrived.
  const expected = createHmac('sha256', input.clientSecret)
    .update(input.method.toUpperCase())
    .update(decodeSignedUri(input.uri))
    .update(input.rawBody)
    .update(timestamp)
    .digest('base64');
  return constantTimeEqual(expected, signature) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/**
 * Verifies a v1 signature (`X-HubSpot-Signature` with `X-HubSpot-Signature-Version: v1`, CRM
 * webhooks): hex SHA-256 of `clientSecret + rawBody`. v1 has no timestamp, so replays are the
 * webhook handler's business (processed_events).
 */
export function verifyHubSpotSignatureV1(input: { clientSecret: string; rawBody: Buffer | string; signature: string | undefined }): boolean {
  if (!input.signature) return false;
  const expected = createHash('sha256').update(input.clientSecret).update(input.rawBody).digest('hex');
  return constantTimeEqual(expected, input.signature.toLowerCase());
}

/**
 * Verifies a v2 signature (`X-HubSpot-Signature-Version: v2`): hex SHA-256 of
 * `clientSecret + method + uri + rawBody`, the URI exactly as requested (nothing decoded).
 */
export function verifyHubSpotSignatureV2(input: {
  clientSecret: string;
  method: string;
  uri: string;
  rawBody: Buffer | string;
  signature: string | undefined;
}): boolean {
  if (!input.signature) return false;
  const expected = createHash('sha256').update(input.clientSecret).update(input.method.toUpperCase()).update(input.uri).update(input.rawBody).digest('hex');
  return constantTimeEqual(expected, input.signature.toLowerCase());
}

/**
 * Checks an Express request's v3 signature. HubSpot signs the public URL it called, so the URI
 * is `publicBaseUrl` + the path and query as received, not whatever Host header a proxy passed.
 */
export function checkRequestSignatureV3(req: Request, opts: { clientSecret: string; publicBaseUrl: string; now: number }): SignatureCheck {
  return verifyHubSpotSignatureV3({
    clientSecret: opts.clientSecret,
    method: req.method,
    uri: `${opts.publicBaseUrl}${req.originalUrl}`,
    rawBody: req.rawBody ?? Buffer.alloc(0),
    signature: req.get('x-hubspot-signature-v3'),
    timestamp: req.get('x-hubspot-request-timestamp'),
    now: opts.now,
  });
}

/**
 * The idempotency key a verified v3 request runs under when it changes state: a digest of its
 * signature and timestamp, so the same signed request seen again (a replay, or HubSpot resending
 * the very same request) replays the first answer instead of running twice. The space cannot
 * occur in an `Idempotency-Key` header (visible ASCII only), so no client key collides with it.
 */
export function signedRequestKey(signature: string, timestamp: string): string {
  return `hubspot-v3 ${createHash('sha256').update(signature).update('\n').update(timestamp).digest('hex')}`;
}

/**
 * The secrets a HubSpot signature may be made with: the client secret, and during a rotation
 * the one being rotated out.
 */
export function signingSecrets(hubspot: { clientSecret: string; previousClientSecret?: string | null }): string[] {
  return hubspot.previousClientSecret ? [hubspot.clientSecret, hubspot.previousClientSecret] : [hubspot.clientSecret];
}

/** Runs `check` with each secret: valid when one passes, else the current secret's failure. */
export function checkWithAnySecret(secrets: readonly string[], check: (clientSecret: string) => SignatureCheck): SignatureCheck {
  let first: SignatureCheck | null = null;
  for (const secret of secrets) {
    const result = check(secret);
    if (result.ok) return result;
    first ??= result;
  }
  return first ?? { ok: false, reason: 'mismatch' };
}

function constantTimeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // The length of a digest is public; only its content must not leak through timing.
  return a.length === b.length && timingSafeEqual(a, b);
}
