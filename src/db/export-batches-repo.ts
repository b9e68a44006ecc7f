import type { Actor } from '../domain/actor.js';
import type { Db } from './invoices-repo.js';
import type { ExportBatch } from '../domain/exports/batch.js';

/** One invoice of a batch: its version and what was written of it. */
export interface ExportItem {
  invoiceId: string;
  invoiceVersion: number;
  state: 'invoice' | 'void' | 'payments' | 'void_notice';
  paymentIds: string[];
}

/**
 * Locks the portal's row of `format` for the rest of the transaction (creating it first), so
 * exports to one target run one after the other and an incremental export sees everything the
 * previous one committed.
 */
export async function lockTarget(trx: Db, portalId: number, format: string): Promise<void> {
  await trx.raw('INSERT INTO export_targets (portal_id, format) VALUES (?, ?) ON CONFLICT DO NOTHING', [portalId, format]);
  await trx.raw('SELECT 1 FROM export_targets WHERE portal_id = ? AND format = ? FOR UPDATE', [portalId, format]);
}

/** The batch row, written first (totals and checksum follow in finishBatch, same transaction). */
export async function insertBatch(
  trx: Db,
  actor: Actor,
  b: Pick<ExportBatch, 'id' | 'format' | 'filters' | 'incremental' | 'contentType' | 'filename' | 'createdAt'>,
): Promise<void> {
  await trx('export_batches').insert({
    portal_id: actor.portalId,
    id: b.id,
    format: b.format,
    filters: JSON.stringify(b.filters),
    incremental: b.incremental,
    content_type: b.contentType,
    filename: b.filename,
    created_by: actor.userId,
    actor_kind: actor.kind,
    created_at: b.createdAt,
  });
}

/**
 * The invoices of one page of the batch, in one statement. These rows are the per-invoice record
 * of what each target received (by batch: who, when, the file); no `exported` event goes to the
 * invoices' append-only audit logs, which an export of every invoice would grow by one row per
 * invoice each time (docs/finance.md, "Batches").
 */
export async function insertItems(trx: Db, actor: Actor, batchId: string, format: string, items: ExportItem[]): Promise<void> {
  if (items.length === 0) return;
  await trx('export_items').insert(
    items.map((i) => ({
      portal_id: actor.portalId,
      batch_id: batchId,
      invoice_id: i.invoiceId,
      format,
      invoice_version: i.invoiceVersion,
      state: i.state,
      payment_ids: `{${i.paymentIds.join(',')}}`,
    })),
  );
}

/** One piece of the file's bytes, in order. */
export async function insertChunk(trx: Db, portalId: number, batchId: string, seq: number, bytes: Buffer): Promise<void> {
  await trx('export_batch_chunks').insert({ portal_id: portalId, batch_id: batchId, seq, bytes });
}

/** Totals and checksum of the batch, and the target's pointer to its last batch. */
export async function finishBatch(
  trx: Db,
  portalId: number,
  b: Pick<ExportBatch, 'id' | 'format' | 'invoiceCount' | 'voidCount' | 'paymentCount' | 'warnings' | 'checksum' | 'byteLength'>,
): Promise<void> {
  await trx('export_batches')
    .where({ portal_id: portalId, id: b.id })
    .update({
      invoice_count: b.invoiceCount,
      void_count: b.voidCount,
      payment_count: b.paymentCount,
      warnings: JSON.stringify(b.warnings),
      checksum: b.checksum,
      byte_length: b.byteLength,
    });
  await trx('export_targets')
    .where({ portal_id: portalId, format: b.format })
    .update({
      last_batch_id: b.id,
      batch_count: trx.raw('batch_count + 1'),
      updated_at: trx.fn.now(),
    });
}

/** A page of the portal's batches, newest first (keyset on created_at, id). */
export async function listBatches(db: Db, portalId: number, limit: number, after: { createdAt: string; id: string } | null): Promise<ExportBatch[]> {
  const q = db('export_batches').where('portal_id', portalId).whereNotNull('checksum');
  if (after) q.whereRaw('(created_at, id) < (?, ?)', [after.createdAt, after.id]);
  const rows = await q
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit);
  return rows.map(toBatch);
}

/** One batch of the portal, or null (also for another portal's). */
export async function findBatch(db: Db, portalId: number, id: string): Promise<ExportBatch | null> {
  const row = await db('export_batches').where({ portal_id: portalId, id }).whereNotNull('checksum').first();
  return row ? toBatch(row) : null;
}

/** The file's bytes, chunk by chunk (one row per query, so memory holds one chunk). */
export async function* batchChunks(db: Db, portalId: number, batchId: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const row = (await db('export_batch_chunks').where({ portal_id: portalId, batch_id: batchId, seq }).first('bytes')) as
      { bytes: Buffer | Uint8Array } | undefined;
    if (!row) return;
    yield Buffer.from(row.bytes);
  }
}

function toBatch(r: Record<string, any>): ExportBatch {
  return {
    id: r.id,
    format: r.format,
    filters: r.filters,
    incremental: r.incremental,
    invoiceCount: r.invoice_count,
    voidCount: r.void_count,
    paymentCount: r.payment_count,
    warnings: r.warnings,
    checksum: r.checksum,
    byteLength: Number(r.byte_length),
    contentType: r.content_type,
    filename: r.filename,
    createdBy: r.created_by,
    actorKind: r.actor_kind,
    createdAt: r.created_at,
  };
}
