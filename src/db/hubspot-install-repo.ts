import type { Db } from './invoices-repo.js';

/** Install state of a portal: HubSpot's status and its tokens, still sealed (see app/secret-box). */
export interface PortalInstall {
  portalId: number;
  status: 'active' | 'needs_reauth' | 'uninstalled';
  hubDomain: string | null;
  scopes: string[];
  accessTokenSealed: string | null;
  refreshTokenSealed: string | null;
  accessTokenExpiresAt: Date | null;
  installedByUserId: string | null;
  installedAt: Date | null;
  uninstalledAt: Date | null;
}

interface InstallRow {
  id: number;
  status: PortalInstall['status'];
  hub_domain: string | null;
  scopes: string[];
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  access_token_expires_at: Date | null;
  installed_by_user_id: string | null;
  installed_at: Date | null;
  uninstalled_at: Date | null;
}

const COLUMNS = [
  'id',
  'status',
  'hub_domain',
  'scopes',
  'access_token_enc',
  'refresh_token_enc',
  'access_token_expires_at',
  'installed_by_user_id',
  'installed_at',
  'uninstalled_at',
] as const;

/** Reads a portal's install state; `forUpdate` locks the portal row (token refresh). */
export async function findPortalInstall(db: Db, portalId: number, opts: { forUpdate?: boolean } = {}): Promise<PortalInstall | null> {
  const query = db<InstallRow>('portals').select(COLUMNS).where({ id: portalId }).first();
  if (opts.forUpdate) query.forUpdate();
  const row = (await query) as InstallRow | undefined;
  return row ? toInstall(row) : null;
}

/** What an install (or reinstall) writes on the portal row. */
export interface InstallWrite {
  hubDomain: string | null;
  scopes: string[];
  accessTokenSealed: string;
  refreshTokenSealed: string;
  accessTokenExpiresAt: Date;
  installedByUserId: string | null;
}

/** Stores a completed install: new tokens, status active, no longer uninstalled. The row must exist. */
export async function saveInstall(db: Db, portalId: number, w: InstallWrite, now: Date): Promise<void> {
  await db('portals')
    .where({ id: portalId })
    .update({
      hub_domain: w.hubDomain,
      scopes: JSON.stringify(w.scopes),
      access_token_enc: w.accessTokenSealed,
      refresh_token_enc: w.refreshTokenSealed,
      access_token_expires_at: w.accessTokenExpiresAt,
      installed_by_user_id: w.installedByUserId,
      installed_at: now,
      uninstalled_at: null,
      status: 'active',
      updated_at: now,
    });
}

/** Stores refreshed tokens. */
export async function saveRefreshedTokens(
  db: Db,
  portalId: number,
  t: { accessTokenSealed: string; refreshTokenSealed: string; accessTokenExpiresAt: Date },
  now: Date,
): Promise<void> {
  await db('portals').where({ id: portalId }).update({
    access_token_enc: t.accessTokenSealed,
    refresh_token_enc: t.refreshTokenSealed,
    access_token_expires_at: t.accessTokenExpiresAt,
    updated_at: now,
  });
}

/** Marks an active portal as needing a new install (HubSpot refused its refresh token). */
export async function markNeedsReauth(db: Db, portalId: number, now: Date): Promise<void> {
  await db('portals').where({ id: portalId, status: 'active' }).update({ status: 'needs_reauth', updated_at: now });
}

/** Forgets the tokens and marks the portal uninstalled; returns false when the portal is unknown. */
export async function clearInstall(db: Db, portalId: number, now: Date): Promise<boolean> {
  const updated = await db('portals')
    .where({ id: portalId })
    .update({
      access_token_enc: null,
      refresh_token_enc: null,
      access_token_expires_at: null,
      status: 'uninstalled',
      // Keep the first uninstall instant when the event arrives twice.
      uninstalled_at: db.raw('coalesce(uninstalled_at, ?)', [now]),
      updated_at: now,
    });
  return updated > 0;
}

/** Records an OAuth state so that the callback can use it once. */
export async function insertOAuthState(db: Db, id: string, expiresAt: Date): Promise<void> {
  await db('oauth_states').insert({ id, expires_at: expiresAt });
}

/**
 * Uses an OAuth state: one conditional UPDATE, so of two concurrent callbacks with the same
 * state exactly one gets `true`.
 */
export async function consumeOAuthState(db: Db, id: string, now: Date): Promise<boolean> {
  const updated = await db('oauth_states').where({ id }).whereNull('used_at').where('expires_at', '>', now).update({ used_at: now });
  return updated > 0;
}

function toInstall(r: InstallRow): PortalInstall {
  return {
    portalId: r.id,
    status: r.status,
    hubDomain: r.hub_domain,
    scopes: r.scopes,
    accessTokenSealed: r.access_token_enc,
    refreshTokenSealed: r.refresh_token_enc,
    accessTokenExpiresAt: r.access_token_expires_at,
    installedByUserId: r.installed_by_user_id,
    installedAt: r.installed_at,
    uninstalledAt: r.uninstalled_at,
  };
}
