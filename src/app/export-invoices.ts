import { createHash, randomUUID } from 'node:crypto';
import { finishBatch, insertBatch, insertChunk, insertItems, lockTarget, type ExportItem } from '../db/export-batches-repo.js';
import { type ExportBatch } from '../domain/exports/batch.js';
import { exportPages, type ExportEntry, type ExportFilter } from '../db/export-query.js';
import type { Db } from '../db/invoices-repo.js';
import { findSettings } from '../db/portals-repo.js';
import {
  FORMATS,
  WHOLE,
  completeMappings,
  type AccountingMappings,
  type DateFormat,
  type ExportFormat,
  type ExportPart,
  type FormatWriter,
} from '../domain/exports/formats.js';
import type { Actor } from '../domain/actor.js';
import { EXPORT_LIMIT_DEFAULTS, type ExportsConfig } from '../config.js';
import { boundTransaction, ensureSlots, takeSlot } from '../db/export-slots-repo.js';
import type { Deps } from './deps.js';
import { AppError } from './errors.js';
import { exportsWritten } from '../observability/metrics.js';

/** Statuses exported when the request names none (importers get no voids by default). */
export const DEFAULT_STATUSES = Object.fromEntries(Object.entries(FORMATS).map(([f, w]) => [f, w.defaultStatuses])) as Record<
  ExportFormat,
  ExportFilter['statuses']
>;

/** What to export. */
export interface ExportRequest {
  format: ExportFormat;
  filter: ExportFilter;
  /** Only what this target (format) has not received yet. */
  incremental: boolean;
  /** Per-request overrides of the settings' mappings (query parameters, CLI flags); they win. */
  overrides?: { dateFormat?: DateFormat; accountCode?: string };
}

/** What startExport needs: the database, the clock, and the export bounds (their defaults without a config, as in the benchmark). */
export type ExportDeps = Pick<Deps, 'db' | 'clock'> & { config?: { exports: ExportsConfig } };

/** Options of startExport. */
export interface StartOptions {
  /**
   * Runs in the export's transaction once it holds a slot, before anything is written; what it
   * writes commits or rolls back with the batch (a download link is consumed this way).
   */
  claim?: (trx: Db) => Promise<void>;
}

/** A started export: its batch id and file name are known before the first byte. */
export interface StartedExport {
  batchId: string;
  contentType: string;
  filename: string;
  /** The file. The batch commits before the last chunk is handed out; see startExport. */
  chunks: AsyncGenerator<Buffer>;
}

/** Invoices per page (one statement set per page). */
export const PAGE_SIZE = 200;
/** Bytes per stored chunk of the file. */
const CHUNK_BYTES = 1 << 20;
const BOM = '\uFEFF';

/** The mappings an export uses: the portal's settings, then the request's overrides. */
export async function exportMappings(db: Db, portalId: number, overrides: ExportRequest['overrides'] = {}): Promise<AccountingMappings> {
  const m = completeMappings((await findSettings(db, portalId))?.accountingMappings);
  return {
    ...m,
    ...(overrides.dateFormat ? { dateFormat: overrides.dateFormat } : {}),
    ...(overrides.accountCode ? { defaultAccountCode: overrides.accountCode } : {}),
  };
}

/**
 * Starts an export and records it as a batch, all in one transaction that holds one of the
 * portal's export slots and its lock on the target: the batch row, its items (invoice, version,
 * what was written) and the file's bytes as chunks, written page by page while the file streams.
 * The file has nothing time-dependent in it and a stable order.
 *
 * Bounded (issue 13, finding 4): at most `EXPORT_MAX_CONCURRENT` exports per portal hold a slot
 * at once, across processes (one more throws `too_many_exports`, 429); the transaction carries
 * `idle_in_transaction_session_timeout`, so a consumer that stops pulling cannot hold the
 * connection, the slot and the target lock for longer than `EXPORT_IDLE_TIMEOUT_SECONDS`.
 *
 * Every invoice is re-added from the values written; one that does not reconcile throws
 * `export_not_reconciled`. Any failure, or the consumer stopping early (client gone), rolls the
 * transaction back: no batch, no items, no events. The last chunk is held back until COMMIT
 * succeeded, so a consumer that got the whole file knows a batch exists; one that got a cut
 * file (no end) knows nothing was recorded, unless the cut came after COMMIT, in which case the
 * batch can be fetched again by its id.
 */
export async function startExport(deps: ExportDeps, actor: Actor, req: ExportRequest, opts: StartOptions = {}): Promise<StartedExport> {
  const limits = deps.config?.exports ?? EXPORT_LIMIT_DEFAULTS;
  const writer = FORMATS[req.format];
  const mappings = await exportMappings(deps.db, actor.portalId, req.overrides);
  const f = req.filter;
  const batch = {
    id: randomUUID(),
    format: req.format,
    filters: { ...(f.from ? { from: f.from } : {}), ...(f.to ? { to: f.to } : {}), status: [...f.statuses], ...req.overrides },
    incremental: req.incremental,
    contentType: writer.contentType,
    filename: `invoices-${req.format}${f.from ? `-${f.from}` : ''}${f.to ? `-${f.to}` : ''}.${writer.extension}`,
    createdAt: deps.clock(),
  };
  await ensureSlots(deps.db, actor.portalId, limits.maxConcurrent);
  const trx = await deps.db.transaction();
  try {
    await boundTransaction(trx, limits.idleTimeoutSeconds);
    if ((await takeSlot(trx, actor.portalId, limits.maxConcurrent)) === null) {
      throw new AppError(
        'too_many_exports',
        `This portal already runs ${limits.maxConcurrent} export(s), the most it may run at once; try again when one has finished`,
      );
    }
    await opts.claim?.(trx);
    await lockTarget(trx, actor.portalId, req.format);
    await insertBatch(trx, actor, batch);
  } catch (err) {
    await trx.rollback().catch(() => undefined);
    throw err;
  }
  // JSON never starts with a BOM (RFC 8259); the other formats follow the setting.
  const bom = req.format !== 'json' && mappings.bom[req.format];
  return {
    batchId: batch.id,
    contentType: batch.contentType,
    filename: batch.filename,
    chunks: writeBatch(trx, actor, req, writer, { mappings }, batch, bom),
  };
}

async function* writeBatch(
  trx: Db & { commit(): Promise<unknown>; rollback(): Promise<unknown> },
  actor: Actor,
  req: ExportRequest,
  writer: FormatWriter,
  opts: { mappings: AccountingMappings },
  batch: Pick<ExportBatch, 'id' | 'format' | 'createdAt'>,
  bom: boolean,
): AsyncGenerator<Buffer> {
  let committed = false;
  const hash = createHash('sha256');
  let byteLength = 0;
  let seq = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let held: Buffer | null = null;
  const totals = { invoiceCount: 0, voidCount: 0, paymentCount: 0 };
  const noticed: string[] = [];
  const flush = async () => {
    if (pendingBytes === 0) return;
    await insertChunk(trx, actor.portalId, batch.id, seq++, Buffer.concat(pending));
    pending = [];
    pendingBytes = 0;
  };
  async function* emit(text: string): AsyncGenerator<Buffer> {
    if (text === '') return;
    const buf = Buffer.from(text, 'utf8');
    hash.update(buf);
    byteLength += buf.length;
    pending.push(buf);
    pendingBytes += buf.length;
    if (pendingBytes >= CHUNK_BYTES) await flush();
    if (held) yield held;
    held = buf;
  }
  try {
    yield* emit((bom ? BOM : '') + writer.header());
    let first = true;
    const scope = req.incremental ? { format: req.format, payments: writer.payments } : null;
    for await (const page of exportPages(trx, actor.portalId, req.filter, PAGE_SIZE, scope)) {
      let chunk = '';
      const items: ExportItem[] = [];
      for (const entry of page) {
        const plan = planEntry(entry, writer);
        if (!plan) continue;
        const { invoice, payments } = entry;
        items.push({ invoiceId: invoice.id, invoiceVersion: invoice.version, state: plan.state, paymentIds: plan.paymentIds });
        if (plan.state === 'void_notice') {
          noticed.push(invoice.number ?? invoice.id);
          continue;
        }
        chunk += writer.records(invoice, payments, opts, first, plan.part);
        first = false;
        totals.invoiceCount++;
        if (plan.state === 'void') totals.voidCount++;
        totals.paymentCount += plan.paymentIds.length;
      }
      await insertItems(trx, actor, batch.id, batch.format, items);
      yield* emit(chunk);
    }
    yield* emit(writer.footer(first));
    await flush();
    const warnings =
      noticed.length === 0
        ? []
        : [
            {
              code: 'voided_after_export',
              message: `${noticed.length} invoice(s) sent to ${req.format} earlier were voided since; ${req.format} imports cannot void an invoice, so void them in the accounting package by hand`,
              invoices: noticed,
            },
          ];
    await finishBatch(trx, actor.portalId, { id: batch.id, format: batch.format, ...totals, warnings, checksum: hash.digest('hex'), byteLength });
    await trx.commit();
    committed = true;
    exportsWritten.inc({ format: req.format });
    if (held) yield held;
  } finally {
    if (!committed) await trx.rollback().catch(() => undefined);
  }
}

interface Plan {
  part: ExportPart;
  state: ExportItem['state'];
  paymentIds: string[];
}

/**
 * What of an invoice goes in the file. Full exports: the invoice as it is. Incremental: the
 * invoice if the target never got it; its void if it was voided since (a warning only, for
 * formats that cannot void); else its payments the target did not get.
 */
function planEntry({ invoice, payments, received }: ExportEntry, writer: FormatWriter): Plan | null {
  const allIds = writer.payments ? payments.map((p) => p.id) : [];
  if (!received) return { part: WHOLE, state: writer.voids && invoice.status === 'void' ? 'void' : 'invoice', paymentIds: allIds };
  if (invoice.status === 'void' && !received.void) {
    return writer.voids ? { part: { kind: 'void' }, state: 'void', paymentIds: [] } : { part: WHOLE, state: 'void_notice', paymentIds: [] };
  }
  const fresh = allIds.filter((id) => !received.paymentIds.has(id));
  if (fresh.length === 0) return null;
  return { part: { kind: 'payments', paymentIds: new Set(fresh) }, state: 'payments', paymentIds: fresh };
}
