import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { EXPORT_FORMATS } from '../domain/exports/formats.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import type { ExportRequest } from './export-invoices.js';

const ISSUER = 'hubspot-invoicing';
// Not the API tokens' audience: a download token is no API token, and an API token no link.
const AUDIENCE = 'hubspot-invoicing-export-download';
/** How long a download link works. */
export const LINK_SECONDS = 300;

const claims = z.object({
  portalId: z.number().int().positive(),
  userId: z.string().nullable(),
  kind: z.enum(['user', 'api_token', 'stripe', 'hubspot', 'system']),
  format: z.enum(EXPORT_FORMATS),
  from: z.string().optional(),
  to: z.string().optional(),
  statuses: z.array(z.enum(['open', 'paid', 'void'])).min(1),
  incremental: z.boolean(),
});

/**
 * A signed (HS256, API token secret), 5-minute link that downloads one export for the portal
 * and user who asked, with the filters they chose, from a browser tab (a HubSpot card cannot send
 * an Authorization header). The download records its batch like any other export.
 */
export function issueExportLink(deps: Pick<Deps, 'config' | 'clock'>, actor: Actor, req: Omit<ExportRequest, 'overrides'>): { url: string; expiresAt: string } {
  const now = Math.floor(deps.clock().getTime() / 1000);
  const body = {
    portalId: actor.portalId,
    userId: actor.userId,
    kind: actor.kind,
    format: req.format,
    ...(req.filter.from ? { from: req.filter.from } : {}),
    ...(req.filter.to ? { to: req.filter.to } : {}),
    statuses: [...req.filter.statuses],
    incremental: req.incremental,
    iat: now,
    exp: now + LINK_SECONDS,
  };
  const token = jwt.sign(body, deps.config.apiTokenSecret, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE });
  return { url: `${deps.config.publicBaseUrl}/exports/download/${token}`, expiresAt: new Date((now + LINK_SECONDS) * 1000).toISOString() };
}

/** The actor and export of a download token; null when tampered, expired or not a download token. */
export function verifyExportLink(deps: Pick<Deps, 'config' | 'clock'>, token: string): { actor: Actor; request: Omit<ExportRequest, 'overrides'> } | null {
  try {
    const payload = jwt.verify(token, deps.config.apiTokenSecret, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      clockTimestamp: Math.floor(deps.clock().getTime() / 1000),
    });
    const c = claims.safeParse(payload);
    if (!c.success) return null;
    const d = c.data;
    return {
      actor: { portalId: d.portalId, userId: d.userId, kind: d.kind, scopes: ['exports'] },
      request: {
        format: d.format,
        filter: { ...(d.from ? { from: d.from } : {}), ...(d.to ? { to: d.to } : {}), statuses: d.statuses },
        incremental: d.incremental,
      },
    };
  } catch {
    return null;
  }
}
