import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { actorCan, type Actor } from '../domain/actor.js';
import { authenticateApiToken } from '../app/authenticate-api-token.js';
import type { Deps, HubSpotServices } from '../app/deps.js';
import { AppError } from '../app/errors.js';
import { assertPortalInstalled } from '../app/hubspot-access-token.js';
import { effectivePermissionsOfUser } from '../app/user-permissions.js';
import { scopesOfPermissions, type Permission } from '../domain/permissions.js';
import { actorOf } from './context.js';
import { checkRequestSignatureV3, checkWithAnySecret, signedRequestKey, signingSecrets } from './hubspot-signature.js';

// What HubSpot's proxy appends to a card's hubspot.fetch URL (covered by the signature).
const signedQuery = z.object({
  portalId: z.string().regex(/^[1-9]\d{0,14}$/),
  userId: z.string().regex(/^\d{1,20}$/),
});

/**
 * Authenticates /api/v1 requests in one of two ways:
 * - HubSpot signed requests (cards' `hubspot.fetch`, carrying `X-HubSpot-Signature-v3`): by the
 *   signature only; portal and user come from the signed `portalId`/`userId` query parameters,
 *   and the portal must have the app installed. `res.locals.signedRequestKey` then holds the key
 *   that makes a replay of the same signed request answer what the first one did.
 * - Bearer API tokens (HS256, with `exp` and `jti`, not revoked: `authenticateApiToken`). A valid
 *   token for a portal the service has not seen yet creates the portal with default settings.
 */
export function authenticate(deps: Deps & { hubspot: HubSpotServices }): RequestHandler {
  return async (req, res, next) => {
    const actor = req.get('x-hubspot-signature-v3') !== undefined ? await signedRequestActor(deps, req, res) : await apiTokenActor(deps, req);
    res.locals.actor = actor;
    req.log = req.log?.child({ portalId: actor.portalId, userId: actor.userId, actorKind: actor.kind });
    next();
  };
}

async function apiTokenActor(deps: Deps, req: Request): Promise<Actor> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (!match) throw new AppError('unauthenticated', 'Send an API token as "Authorization: Bearer <token>" (npm run token prints one)');
  return authenticateApiToken(deps, match[1]!);
}

async function signedRequestActor(deps: Deps & { hubspot: HubSpotServices }, req: Request, res: Response): Promise<Actor> {
  const check = checkWithAnySecret(signingSecrets(deps.config.hubspot), (clientSecret) =>
    checkRequestSignatureV3(req, { clientSecret, publicBaseUrl: deps.config.publicBaseUrl, now: deps.clock().getTime() }),
  );
  if (!check.ok) {
    // The reason only: never the signature, the secret or the query (it carries the user's email).
    req.log?.warn({ reason: check.reason, method: req.method, path: req.path }, 'hubspot request signature rejected');
    throw new AppError('unauthenticated', 'The HubSpot request signature is missing, invalid or expired');
  }
  // Both headers are present once the check passed; `respond` keys state-changing requests by them.
  res.locals.signedRequestKey = signedRequestKey(req.get('x-hubspot-signature-v3')!, req.get('x-hubspot-request-timestamp')!);
  const query = signedQuery.safeParse(req.query);
  if (!query.success) {
    req.log?.warn({ reason: 'missing_portal_or_user', path: req.path }, 'hubspot signed request without portalId/userId');
    throw new AppError('unauthenticated', 'The HubSpot request does not name its portal and user');
  }
  const portalId = Number(query.data.portalId);
  await assertPortalInstalled(deps, portalId);
  // HubSpot's default rule for this user (from cached HubSpot facts) and the admin's explicit grants.
  const permissions = await effectivePermissionsOfUser({ ...deps, users: deps.hubspot.users }, portalId, query.data.userId);
  return { portalId, userId: query.data.userId, kind: 'user', scopes: scopesOfPermissions(permissions), permissions };
}

/** Refuses the request with 403 `forbidden`, naming the permission, unless the actor holds `permission`. */
export function requirePermission(permission: Permission): RequestHandler {
  return (_req, res, next) => {
    if (!actorCan(actorOf(res), permission)) throw forbidden(permission);
    next();
  };
}

/** The 403 for a missing permission. */
export function forbidden(permission: Permission): AppError {
  return new AppError('forbidden', `This action needs the "${permission}" permission`, [{ path: 'permission', message: `missing ${permission}` }]);
}
