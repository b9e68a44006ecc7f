import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a "connect Stripe" link stays usable. */
export const STRIPE_STATE_TTL_MS = 15 * 60 * 1000;

/** A signed state naming the portal that started the connection. */
export interface StripeState {
  id: string;
  portalId: number;
  value: string;
  expiresAt: Date;
}

// A sub-key of its own: a MAC made for this state never verifies as a HubSpot state or an API token.
function mac(secret: string, payload: string): Buffer {
  const key = createHmac('sha256', secret).update('stripe-connect-state/v1').digest();
  return createHmac('sha256', key).update(payload).digest();
}

/** Issues `<id>.<portalId>.<expiresAtMs>.<mac>`; single use is the oauth_states table's job. */
export function issueStripeState(secret: string, portalId: number, now: Date): StripeState {
  const id = randomBytes(18).toString('base64url');
  const expiresAt = new Date(now.getTime() + STRIPE_STATE_TTL_MS);
  const payload = `${id}.${portalId}.${expiresAt.getTime()}`;
  return { id, portalId, expiresAt, value: `${payload}.${mac(secret, payload).toString('base64url')}` };
}

/** Checks the MAC (constant time) and expiry; returns the state's id and portal, or why not. */
export function checkStripeState(
  secret: string,
  value: string,
  now: Date,
): { ok: true; id: string; portalId: number } | { ok: false; reason: 'forged' | 'expired' } {
  const match = /^([\w-]{24})\.([1-9][0-9]{0,15})\.(\d{1,15})\.([\w-]{43})$/.exec(value);
  if (!match) return { ok: false, reason: 'forged' };
  const [, id, portal, exp, given] = match as unknown as [string, string, string, string, string];
  // Canonical text, not decoded bytes: a state must not have several valid spellings.
  const expected = Buffer.from(mac(secret, `${id}.${portal}.${exp}`).toString('base64url'), 'utf8');
  const presented = Buffer.from(given, 'utf8');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return { ok: false, reason: 'forged' };
  if (Number(exp) <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, id, portalId: Number(portal) };
}
