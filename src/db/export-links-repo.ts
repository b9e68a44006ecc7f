import type { Db } from './invoices-repo.js';

/** What became of a download link when its download tried to take it. */
export type LinkClaim = 'claimed' | 'used' | 'unknown';

/** Records a minted download link, so its first download can consume it. */
export async function insertLink(db: Db, portalId: number, jti: string, createdAt: Date, expiresAt: Date): Promise<void> {
  await db('export_links').insert({ portal_id: portalId, jti, created_at: createdAt, expires_at: expiresAt });
}

/**
 * Consumes the link in the download's transaction: `claimed` when this call took it, `used` when
 * an earlier download committed with it or one is running with it right now (its row is locked:
 * NOWAIT answers at once instead of queueing behind a whole export), `unknown` when no such link
 * was minted. The consumption commits or rolls back with the export it starts.
 */
export async function consumeLink(trx: Db, portalId: number, jti: string, at: Date): Promise<LinkClaim> {
  let row: { consumed_at: Date | null } | undefined;
  try {
    row = (await trx.raw('SELECT consumed_at FROM export_links WHERE portal_id = ? AND jti = ? FOR UPDATE NOWAIT', [portalId, jti])).rows[0];
  } catch (err) {
    // 55P03 lock_not_available: another download of this link holds it.
    if ((err as { code?: string }).code === '55P03') return 'used';
    throw err;
  }
  if (!row) return 'unknown';
  if (row.consumed_at) return 'used';
  const taken = await trx.raw('UPDATE export_links SET consumed_at = ? WHERE portal_id = ? AND jti = ? AND consumed_at IS NULL RETURNING jti', [
    at,
    portalId,
    jti,
  ]);
  return taken.rows.length === 1 ? 'claimed' : 'used';
}

/** Whether a link could still be used (for HEAD, which must not consume it). */
export async function linkState(db: Db, portalId: number, jti: string): Promise<'usable' | 'used' | 'unknown'> {
  const row = (await db('export_links').where({ portal_id: portalId, jti }).first('consumed_at')) as { consumed_at: Date | null } | undefined;
  if (!row) return 'unknown';
  return row.consumed_at ? 'used' : 'usable';
}
