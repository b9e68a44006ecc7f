import { randomBytes } from 'node:crypto';
import { purposeMac, purposeMacMatches } from './purpose-mac.js';

/** How long an install link stays usable. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

/** A freshly issued state: `value` goes into the authorize URL, `id` into oauth_states. */
export interface IssuedState {
  id: string;
  value: string;
  expiresAt: Date;
}

/** Result of checking a state's signature and expiry (single use is the database's job). */
export type StateCheck = { ok: true; id: string } | { ok: false; reason: 'forged' | 'expired' };

const PURPOSE = 'hubspot-oauth-state/v1';

/** Issues a signed, expiring state `<id>.<expiresAtMs>.<mac>` (base64url). */
export function issueOAuthState(secret: string, now: Date): IssuedState {
  const id = randomBytes(18).toString('base64url');
  const expiresAt = new Date(now.getTime() + OAUTH_STATE_TTL_MS);
  const payload = `${id}.${expiresAt.getTime()}`;
  return { id, value: `${payload}.${purposeMac(secret, PURPOSE, payload)}`, expiresAt };
}

/** Checks a state's MAC (in constant time) and its expiry. */
export function checkOAuthState(secret: string, value: string, now: Date): StateCheck {
  const match = /^([\w-]{24})\.(\d{1,15})\.([\w-]{43})$/.exec(value);
  if (!match) return { ok: false, reason: 'forged' };
  const [, id, exp, given] = match as unknown as [string, string, string, string];
  if (!purposeMacMatches(secret, PURPOSE, `${id}.${exp}`, given)) return { ok: false, reason: 'forged' };
  if (Number(exp) <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, id };
}
