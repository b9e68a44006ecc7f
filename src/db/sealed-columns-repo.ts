import type { Knex } from 'knex';
import type { Db } from './invoices-repo.js';

/** Where a column of sealed values lives: its table, the row keys, and the portal column. */
export interface SealedColumnLocation {
  table: string;
  /** Primary key columns, to update one row at a time. */
  keys: string[];
  /** The column holding the portal id (to reseal some portals only). */
  portalColumn: string;
  column: string;
}

/** The keys of every row whose sealed column is set (of `portalIds` only, when given). */
export async function listSealedRowKeys(db: Db, col: SealedColumnLocation, portalIds?: number[]): Promise<Record<string, unknown>[]> {
  const query = db(col.table).whereNotNull(col.column).select(col.keys);
  if (portalIds) void query.whereIn(col.portalColumn, portalIds);
  return (await query) as Record<string, unknown>[];
}

/** The row's keys and sealed value, locked until the transaction ends; undefined when the row is gone. */
export async function lockSealedRow(
  trx: Knex.Transaction,
  col: SealedColumnLocation,
  key: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  return (await trx(col.table)
    .where(key)
    .select([...col.keys, col.column])
    .forUpdate()
    .first()) as Record<string, unknown> | undefined;
}

/** Replaces the row's sealed value. */
export async function updateSealedValue(trx: Knex.Transaction, col: SealedColumnLocation, key: Record<string, unknown>, sealed: string): Promise<void> {
  await trx(col.table)
    .where(key)
    .update({ [col.column]: sealed });
}
