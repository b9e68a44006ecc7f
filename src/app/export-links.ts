import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { consumeLink, insertLink, linkState } from '../db/export-links-repo.js';
import { EXPORT_FORMATS, FORMATS } from '../domain/exports/formats.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { AppError } from './errors.js';
import { startExport, type ExportRequest, type StartedExport } from './export-invoices.js';
import { nothingToPrepare, runCommand } from './unit-of-work.js';

const ISSUER = 'hubspot-invoicing';
// Not the API tokens' audience: a download token is no API token, and an API token no link.
const AUDIENCE = 'hubspot-invoicing-export-download';
/** How long a download link works. */
export const LINK_SECONDS = 300;

const claims = z.object({
  jti: z.uuid(),
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
 * A signed (HS256, API token secret), 5-minute, single-use link that downloads one export for
 * the portal and user who asked, with the filters they chose, from a browser tab (a HubSpot card
 * cannot send an Authorization header). Its `jti` is stored here; the first download consumes it
 * (see {@link startLinkedExport}). The download records its batch like any other export.
 */
export async function issueExportLink(
  deps: Pick<Deps, 'config' | 'clock' | 'db'>,
  actor: Actor,
  req: Omit<ExportRequest, 'overrides'>,
): Promise<{ url: string; expiresAt: string }> {
  const now = Math.floor(deps.clock().getTime() / 1000);
  const jti = randomUUID();
  await runCommand(deps, {}, nothingToPrepare, ({ trx }) => insertLink(trx, actor.portalId, jti, new Date(now * 1000), new Date((now + LINK_SECONDS) * 1000)));
  const body = {
    jti,
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

/** A verified download token: whose export, which one, and the link's id. */
interface VerifiedLink {
  jti: string;
  actor: Actor;
  request: Omit<ExportRequest, 'overrides'>;
}

/** The actor and export of a download token; null when tampered, expired or not a download token. */
export function verifyExportLink(deps: Pick<Deps, 'config' | 'clock'>, token: string): VerifiedLink | null {
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
      jti: d.jti,
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

const invalid = () => new AppError('unauthenticated', 'The download link is invalid or expired; ask for a new one');
const used = () =>
  new AppError(
    'export_link_used',
    'This download link was already used (a link works once); ask for a new one, or download the file of the batch it made from the recorded exports',
  );

/**
 * Starts the export a download link names and consumes the link in the export's transaction:
 * 401 for a bad or expired token, 410 `export_link_used` when a download with it already
 * committed or is running, 429 when the portal runs its most exports (the link stays usable).
 * If the export rolls back (the client went away before the end, an error), so does the
 * consumption: nothing was exported, and the link works again until it expires.
 */
export async function startLinkedExport(deps: Pick<Deps, 'db' | 'clock' | 'config'>, token: string): Promise<StartedExport> {
  const link = verifyExportLink(deps, token);
  if (!link) throw invalid();
  return startExport(deps, link.actor, link.request, {
    claim: async (trx) => {
      const claim = await consumeLink(trx, link.actor.portalId, link.jti, deps.clock());
      if (claim === 'used') throw used();
      if (claim === 'unknown') throw invalid();
    },
  });
}

/**
 * What a HEAD of a download link answers, without consuming it (chat unfurlers and link
 * prefetchers often ask HEAD first): the file's content type when the link is still usable;
 * 401/410 as the GET would.
 */
export async function inspectExportLink(deps: Pick<Deps, 'db' | 'clock' | 'config'>, token: string): Promise<{ contentType: string }> {
  const link = verifyExportLink(deps, token);
  if (!link) throw invalid();
  const state = await linkState(deps.db, link.actor.portalId, link.jti);
  if (state === 'used') throw used();
  if (state === 'unknown') throw invalid();
  return { contentType: FORMATS[link.request.format].contentType };
}
