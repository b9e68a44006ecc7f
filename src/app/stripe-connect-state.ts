import { randomBytes } from 'node:crypto';
import { purposeMac, purposeMacMatches } from './purpose-mac.js';

/** How long a "connect Stripe" link stays usable. */
export const STRIPE_STATE_TTL_MS = 15 * 60 * 1000;

/** A signed state naming the portal that started the connection. */
export interface StripeState {
  id: string;
  portalId: number;
  value: string;
  expiresAt: Date;
}

// A purpose of its own: a MAC made for this state never verifies as a HubSpot state or an API token.
const PURPOSE = 'stripe-connect-state/v1';

/** Issues `<id>.<portalId>.<expiresAtMs>.<mac>`; single use is the oauth_states table's job. */
export function issueStripeState(secret: string, portalId: number, now: Date): StripeState {
  const id = randomBytes(18).toString('base64url');
  const expiresAt = new Date(now.getTime() + STRIPE_STATE_TTL_MS);
  const payload = `${id}.${portalId}.${expiresAt.getTime()}`;
  return { id, portalId, expiresAt, value: `${payload}.${purposeMac(secret, PURPOSE, payload)}` };
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
  if (!purposeMacMatches(secret, PURPOSE, `${id}.${portal}.${exp}`, given)) return { ok: false, reason: 'forged' };
  if (Number(exp) <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, id, portalId: Number(portal) };
}
