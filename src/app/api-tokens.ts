import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { permissionsOfScopes } from '../domain/permissions.js';
import { SCOPES, type Actor, type Scope } from '../domain/actor.js';

const ISSUER = 'hubspot-invoicing';
const AUDIENCE = 'hubspot-invoicing-api';

const claims = z.object({
  portalId: z.number().int().positive(),
  userId: z.string().min(1),
  scopes: z.array(z.enum(SCOPES)),
});

/** What an API token grants. */
export interface TokenGrant {
  portalId: number;
  userId: string;
  scopes: readonly Scope[];
  /** Lifetime, e.g. `30d`, `12h`; default 30 days. */
  expiresIn?: string;
}

/** Signs an HS256 API token for a portal, user and scopes. */
export function issueApiToken(secret: string, grant: TokenGrant): string {
  return jwt.sign({ portalId: grant.portalId, userId: grant.userId, scopes: grant.scopes }, secret, {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: (grant.expiresIn ?? '30d') as jwt.SignOptions['expiresIn'],
  });
}

/** Verifies an API token (signature, algorithm, issuer, audience, expiry, claims); null when invalid. */
export function verifyApiToken(secret: string, token: string): Actor | null {
  try {
    const payload = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    const parsed = claims.safeParse(payload);
    if (!parsed.success) return null;
    // A token carries its own scopes (an admin issued it with them): they are its permissions,
    // whatever HubSpot says about the user it names.
    const { portalId, userId, scopes } = parsed.data;
    return { portalId, userId, kind: 'api_token', scopes, permissions: permissionsOfScopes(scopes) };
  } catch {
    return null;
  }
}
