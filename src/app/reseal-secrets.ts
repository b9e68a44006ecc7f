import type { Knex } from 'knex';
import { listSealedRowKeys, lockSealedRow, updateSealedValue, type SealedColumnLocation } from '../db/sealed-columns-repo.js';
import { accessContext, refreshContext } from './portal-token-seal.js';
import type { SecretBox } from './secret-box.js';
import { secretContext } from './webhook-endpoints.js';

/** A column of sealed values, and the associated data each value was sealed with. */
export interface SealedColumn extends SealedColumnLocation {
  context: (row: Record<string, unknown>) => string;
}

/** Every sealed column of the schema. A new one must be added here, or a key rotation misses it. */
export const SEALED_COLUMNS: SealedColumn[] = [
  { table: 'portals', keys: ['id'], portalColumn: 'id', column: 'access_token_enc', context: (r) => accessContext(Number(r.id)) },
  { table: 'portals', keys: ['id'], portalColumn: 'id', column: 'refresh_token_enc', context: (r) => refreshContext(Number(r.id)) },
  {
    table: 'webhook_endpoints',
    keys: ['portal_id', 'id'],
    portalColumn: 'portal_id',
    column: 'secret_sealed',
    context: (r) => secretContext(Number(r.portal_id), String(r.id)),
  },
];

/** What a reseal did, per column. */
export interface ResealReport {
  table: string;
  column: string;
  resealed: number;
  /** Values that open under no configured key (left untouched, listed by key for the operator). */
  unreadable: string[];
}

/**
 * Seals every sealed value again under the current key (step 2 of a key rotation,
 * docs/operations.md). Row by row, each in its own short transaction with the row locked, so the
 * service keeps running and a token refreshed meanwhile is not overwritten with an older value.
 * Idempotent: running it twice reseals again, harmlessly. `portalIds` limits it to some portals.
 */
export async function resealSecrets(db: Knex, box: SecretBox, opts: { portalIds?: number[] } = {}): Promise<ResealReport[]> {
  const reports: ResealReport[] = [];
  for (const col of SEALED_COLUMNS) {
    const report: ResealReport = { table: col.table, column: col.column, resealed: 0, unreadable: [] };
    const keys = await listSealedRowKeys(db, col, opts.portalIds);
    for (const key of keys) {
      await db.transaction(async (trx) => {
        const row = await lockSealedRow(trx, col, key);
        const sealed = row?.[col.column];
        if (typeof sealed !== 'string') return;
        let plain: string;
        try {
          plain = box.open(sealed, col.context(row!));
        } catch {
          report.unreadable.push(col.keys.map((k) => String(key[k])).join('/'));
          return;
        }
        await updateSealedValue(trx, col, key, box.seal(plain, col.context(row!)));
        report.resealed += 1;
      });
    }
    reports.push(report);
  }
  return reports;
}
