import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 of `payload` under a sub-key of `secret` for one `purpose`, base64url. The sub-key
 * keeps a MAC made for one purpose (a HubSpot install state, a Stripe connect state) from ever
 * verifying for another, or as an API token's HS256 signature made with the same secret.
 */
export function purposeMac(secret: string, purpose: string, payload: string): string {
  const key = createHmac('sha256', secret).update(purpose).digest();
  return createHmac('sha256', key).update(payload).digest('base64url');
}

/**
 * True when `given` is exactly the MAC's text (constant time). Text, not decoded bytes:
 * base64url's last character carries two unused bits, and a value must not have several valid
 * spellings.
 */
export function purposeMacMatches(secret: string, purpose: string, payload: string, given: string): boolean {
  const expected = Buffer.from(purposeMac(secret, purpose, payload), 'utf8');
  const presented = Buffer.from(given, 'utf8');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
