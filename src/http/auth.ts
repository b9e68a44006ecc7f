import type { RequestHandler } from 'express';
import type { Scope } from '../app/actor.js';
import { verifyApiToken } from '../app/api-tokens.js';
import { ensurePortal } from '../app/ensure-portal.js';
import type { Deps } from '../app/deps.js';
import { AppError } from '../app/errors.js';
import { actorOf } from './context.js';

/**
 * Bearer API tokens (HS256). A valid token for a portal the service has not seen yet creates the
 * portal with default settings, so a fresh install works with a token alone.
 */
export function authenticate(deps: Deps): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('unauthenticated', 'Send an API token as "Authorization: Bearer <token>" (npm run token prints one)');
    const actor = verifyApiToken(deps.config.apiTokenSecret, match[1]!);
    if (!actor) throw new AppError('unauthenticated', 'The API token is invalid or expired');
    await ensurePortal(deps, actor.portalId);
    res.locals.actor = actor;
    req.log = req.log?.child({ portalId: actor.portalId, userId: actor.userId });
    next();
  };
}

/** Refuses the request with 403 unless the actor holds `scope`. */
export function requireScope(scope: Scope): RequestHandler {
  return (_req, res, next) => {
    if (!actorOf(res).scopes.includes(scope)) {
      throw new AppError('forbidden', `This action needs the "${scope}" permission`, [{ path: 'scope', message: `missing ${scope}` }]);
    }
    next();
  };
}
