import type { Actor } from '../domain/actor.js';
import { isTokenRevoked } from '../db/revoked-tokens-repo.js';
import { decodeApiToken } from './api-tokens.js';
import type { Deps } from './deps.js';
import { AppError } from './errors.js';
import { ensurePortal } from './ensure-portal.js';

/**
 * Authenticates a bearer API token: signature and claims, an `exp` and a `jti` (a token without
 * them is refused with a message saying to issue a new one), a lifetime within
 * `API_TOKEN_MAX_DAYS`, and not revoked. A valid token for a portal the service has not seen yet
 * creates the portal with default settings, so a fresh install works with a token alone.
 * The revocation check is read on every request, so a revocation takes effect at once.
 */
export async function authenticateApiToken(deps: Pick<Deps, 'db' | 'config'>, token: string): Promise<Actor> {
  const decoded = decodeApiToken(deps.config.apiTokenSecret, token);
  if (!decoded.ok) {
    throw new AppError(
      'unauthenticated',
      decoded.reason === 'no_expiry'
        ? 'The API token has no expiry or id (exp, jti); issue a new one with npm run token'
        : 'The API token is invalid or expired',
    );
  }
  // A minute of slack: the issuer's clock rounds `iat` and `exp` to seconds.
  if (decoded.lifetimeSeconds > deps.config.apiTokenMaxDays * 86_400 + 60) {
    throw new AppError(
      'unauthenticated',
      `The API token lives longer than ${deps.config.apiTokenMaxDays} days (API_TOKEN_MAX_DAYS); issue a new one with npm run token`,
    );
  }
  if (await isTokenRevoked(deps.db, decoded.actor.portalId, decoded.jti)) {
    throw new AppError('unauthenticated', 'The API token was revoked');
  }
  await ensurePortal(deps, decoded.actor.portalId);
  return decoded.actor;
}
