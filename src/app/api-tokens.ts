import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { permissionsOfScopes } from '../domain/permissions.js';
import { SCOPES, type Actor, type Scope } from '../domain/actor.js';

const ISSUER = 'hubspot-invoicing';
const AUDIENCE = 'hubspot-invoicing-api';

/** Lifetime of a token issued without an explicit one. */
export const DEFAULT_TOKEN_LIFETIME = '90d';

const claims = z.object({
  portalId: z.number().int().positive(),
  userId: z.string().min(1),
  scopes: z.array(z.enum(SCOPES)),
});

// What makes a token expirable and revocable: tokens issued before they were required lack them.
const lifecycleClaims = z.object({
  exp: z.number().int(),
  iat: z.number().int(),
  jti: z.string().min(1).max(100),
});

/** What an API token grants. */
export interface TokenGrant {
  portalId: number;
  userId: string;
  scopes: readonly Scope[];
  /** Lifetime, e.g. `30d`, `12h`; default {@link DEFAULT_TOKEN_LIFETIME}. */
  expiresIn?: string;
}

/** Seconds in a lifetime written like `30d`, `12h`, `45m` or `3600s`; null when it is not one. */
export function lifetimeSeconds(lifetime: string): number | null {
  const m = /^(\d{1,9})([smhd])$/.exec(lifetime);
  if (!m) return null;
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

/** Signs an HS256 API token for a portal, user and scopes, with an expiry and a fresh `jti` (its revocation handle). */
export function issueApiToken(secret: string, grant: TokenGrant): string {
  return jwt.sign({ portalId: grant.portalId, userId: grant.userId, scopes: grant.scopes }, secret, {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: (grant.expiresIn ?? DEFAULT_TOKEN_LIFETIME) as jwt.SignOptions['expiresIn'],
    jwtid: randomUUID(),
  });
}

/** A checked token: who it speaks for, its id and when it expires; or why it is refused. */
export type DecodedApiToken =
  { ok: true; actor: Actor; jti: string; expiresAt: Date; lifetimeSeconds: number } | { ok: false; reason: 'invalid' | 'no_expiry' };

/**
 * Checks an API token's signature, algorithm, issuer, audience, expiry and claims. A token
 * without `exp` or `jti` (issued before they were required) is refused as `no_expiry`: it could
 * neither expire nor be revoked. Revocation and the lifetime bound are the caller's check
 * (`authenticateApiToken`), because they need the database and the configuration.
 */
export function decodeApiToken(secret: string, token: string): DecodedApiToken {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const parsed = claims.safeParse(payload);
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const lifecycle = lifecycleClaims.safeParse(payload);
  if (!lifecycle.success) return { ok: false, reason: 'no_expiry' };
  // A token carries its own scopes (an admin issued it with them): they are its permissions,
  // whatever HubSpot says about the user it names.
  const { portalId, userId, scopes } = parsed.data;
  const { exp, iat, jti } = lifecycle.data;
  return {
    ok: true,
    actor: { portalId, userId, kind: 'api_token', scopes, permissions: permissionsOfScopes(scopes) },
    jti,
    expiresAt: new Date(exp * 1000),
    lifetimeSeconds: exp - iat,
  };
}

/** Verifies an API token (signature, algorithm, issuer, audience, expiry, `jti`, claims); null when invalid. Not revocation: see `authenticateApiToken`. */
export function verifyApiToken(secret: string, token: string): Actor | null {
  const decoded = decodeApiToken(secret, token);
  return decoded.ok ? decoded.actor : null;
}
