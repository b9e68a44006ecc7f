import { randomBytes } from 'node:crypto';
import { purposeMac, purposeMacMatches } from './purpose-mac.js';

/** How long a "connect Stripe" link stays usable. */
export const STRIPE_STATE_TTL_MS = 15 * 60 * 1000;

/** A signed state naming the portal and the user that started the connection. */
export interface StripeState {
  id: string;
  portalId: number;
  userId: string;
  value: string;
  expiresAt: Date;
}

// A purpose of its own: a MAC made for this state never verifies as a HubSpot state or an API token.
// v2 names the user; a v1 state (portal only) no longer verifies, so no state without a user completes.
const PURPOSE = 'stripe-connect-state/v2';

/** A user id as card requests and API tokens carry it (digits for HubSpot users). */
const USER_ID = /^[\w-]{1,64}$/;

/**
 * Issues `<id>.<portalId>.<userId>.<expiresAtMs>.<mac>`; single use is the oauth_states table's
 * job. Only a user starts a connection: a user id that cannot be named in a state is refused.
 */
export function issueStripeState(secret: string, portalId: number, userId: string, now: Date): StripeState {
  if (!USER_ID.test(userId)) throw new Error('a Stripe connect state names a user id of 1-64 word characters');
  const id = randomBytes(18).toString('base64url');
  const expiresAt = new Date(now.getTime() + STRIPE_STATE_TTL_MS);
  const payload = `${id}.${portalId}.${userId}.${expiresAt.getTime()}`;
  return { id, portalId, userId, expiresAt, value: `${payload}.${purposeMac(secret, PURPOSE, payload)}` };
}

/** Checks the MAC (constant time) and expiry; returns the state's id, portal and user, or why not. */
export function checkStripeState(
  secret: string,
  value: string,
  now: Date,
): { ok: true; id: string; portalId: number; userId: string } | { ok: false; reason: 'forged' | 'expired' } {
  const match = /^([\w-]{24})\.([1-9][0-9]{0,15})\.([\w-]{1,64})\.(\d{1,15})\.([\w-]{43})$/.exec(value);
  if (!match) return { ok: false, reason: 'forged' };
  const [, id, portal, user, exp, given] = match as unknown as [string, string, string, string, string, string];
  if (!purposeMacMatches(secret, PURPOSE, `${id}.${portal}.${user}.${exp}`, given)) return { ok: false, reason: 'forged' };
  if (Number(exp) <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, id, portalId: Number(portal), userId: user };
}
