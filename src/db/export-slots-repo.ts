import type { Db } from './invoices-repo.js';

/**
 * Makes sure the portal has the slot rows 0..n-1, in its own short statement before the export's
 * transaction (inserting them inside it would make a concurrent first export wait on the
 * uncommitted rows for the whole export).
 */
export async function ensureSlots(db: Db, portalId: number, n: number): Promise<void> {
  await db.raw('INSERT INTO export_slots (portal_id, slot) SELECT ?, g FROM generate_series(0, ? - 1) AS g ON CONFLICT DO NOTHING', [portalId, n]);
}

/**
 * Takes one of the portal's first `n` slots for the rest of the transaction, or null when all are
 * taken. SKIP LOCKED never waits: a slot another export holds is simply not free. The row lock
 * is PostgreSQL's, so it counts exports of every process and goes away with the transaction,
 * also when the session is terminated.
 */
export async function takeSlot(trx: Db, portalId: number, n: number): Promise<number | null> {
  const res = await trx.raw('SELECT slot FROM export_slots WHERE portal_id = ? AND slot < ? ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED', [portalId, n]);
  const row = res.rows[0] as { slot: number } | undefined;
  return row ? row.slot : null;
}

/**
 * Bounds the export's transaction: PostgreSQL ends the session if it stays idle in this
 * transaction (a consumer that stopped pulling) for `idleSeconds`, which rolls it back and frees
 * its slot, its target lock and, through the driver, its pool connection.
 */
export async function boundTransaction(trx: Db, idleSeconds: number): Promise<void> {
  await trx.raw(`SELECT set_config('idle_in_transaction_session_timeout', ?, true)`, [`${idleSeconds}s`]);
}
