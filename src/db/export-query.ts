import type { Invoice } from '../domain/invoice.js';
import type { ExportPayment } from '../domain/exports/formats.js';
import type { InvoiceRow } from './invoice-rows.js';
import { withParts, type Db } from './invoices-repo.js';

/** Which finalized invoices an export takes: invoice dates `from`..`to` (inclusive) and statuses. */
export interface ExportFilter {
  from?: string;
  to?: string;
  statuses: ReadonlyArray<'open' | 'paid' | 'void'>;
}

/**
 * Incremental: only what `format` (the target) has not received. An invoice matches when the
 * target never got it (and its status is in the filter's statuses), when it was voided after the
 * target got it, or (`payments`) when it has a payment the target did not get. The date range
 * applies to all three.
 */
export interface IncrementalScope {
  format: string;
  payments: boolean;
}

/** What a target already received of an invoice (from export_items). */
export interface Received {
  /** Received as a void, or warned about its void (void_notice). */
  void: boolean;
  paymentIds: Set<string>;
}

/** One invoice of a page, with its payments and, in incremental exports, what the target has. */
export interface ExportEntry {
  invoice: Invoice;
  payments: ExportPayment[];
  received: Received | null;
}

/**
 * Pages of finalized invoices (with parts and payments) in a stable order: number prefix, then
 * sequence, then id (keyset pagination, so memory holds one page whatever the export's size and
 * each page is an index range, not an OFFSET scan). Pages are separate statements: an invoice
 * finalized while the export runs may or may not be in it, but finalized invoices never change
 * their exported content, so what is written is always consistent per invoice.
 */
export async function* exportPages(
  db: Db,
  portalId: number,
  filter: ExportFilter,
  pageSize = 200,
  incremental: IncrementalScope | null = null,
): AsyncGenerator<ExportEntry[]> {
  let after: [string, number, string] | null = null;
  for (;;) {
    const query = db<InvoiceRow>('invoices').where('portal_id', portalId).whereNotNull('number');
    if (incremental)
      query.whereRaw(
        incrementalCondition(incremental.payments, filter.statuses),
        incrementalBindings(incremental.format, incremental.payments, filter.statuses),
      );
    else query.whereIn('status', [...filter.statuses]);
    if (filter.from) query.where('invoice_date', '>=', filter.from);
    if (filter.to) query.where('invoice_date', '<=', filter.to);
    if (after) query.whereRaw('(number_prefix, number_seq, id) > (?, ?, ?)', after);
    const rows = (await query.orderBy(['number_prefix', 'number_seq', 'id']).limit(pageSize)) as Array<
      InvoiceRow & { number_prefix: string; number_seq: number }
    >;
    if (rows.length === 0) return;
    const invoices = await withParts(db, portalId, rows);
    const paymentRows = (await db('payments')
      .where('portal_id', portalId)
      .whereIn(
        'invoice_id',
        rows.map((r) => r.id),
      )
      .orderBy(['invoice_id', 'received_on', 'created_at', 'id'])) as Array<{
      id: string;
      invoice_id: string;
      kind: 'payment' | 'refund';
      applied_amount: number;
      method: string;
      received_on: string;
      reference: string;
    }>;
    const byInvoice = new Map<string, ExportPayment[]>();
    for (const p of paymentRows) {
      // What counts towards amount_paid: a refund negative, credit (overpaid money) not at all.
      if (p.applied_amount === 0) continue;
      const list = byInvoice.get(p.invoice_id) ?? [];
      // Refunds lower what was paid; a payment's credit (beyond the total) is not income of this invoice.
      const amount = p.kind === 'refund' ? -p.applied_amount : p.applied_amount;
      list.push({ id: p.id, amount, method: p.method, receivedOn: p.received_on, reference: p.reference });
      byInvoice.set(p.invoice_id, list);
    }
    const received = incremental
      ? await receivedBy(
          db,
          portalId,
          incremental.format,
          rows.map((r) => r.id),
        )
      : null;
    yield invoices.map((invoice) => ({ invoice, payments: byInvoice.get(invoice.id) ?? [], received: received?.get(invoice.id) ?? null }));
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = [last.number_prefix, last.number_seq, last.id];
  }
}

const ITEM = `SELECT 1 FROM export_items e WHERE e.portal_id = invoices.portal_id AND e.format = ? AND e.invoice_id = invoices.id`;

/** See IncrementalScope; every branch is an index probe on export_items_by_target. */
function incrementalCondition(payments: boolean, statuses: readonly string[]): string {
  const parts = [
    `(NOT EXISTS (${ITEM}) AND status IN (${statuses.map(() => '?').join(', ')}))`,
    `(status = 'void' AND EXISTS (${ITEM}) AND NOT EXISTS (${ITEM} AND e.state IN ('void', 'void_notice')))`,
  ];
  if (payments) {
    parts.push(
      `(amount_paid > 0 AND EXISTS (${ITEM}) AND EXISTS (SELECT 1 FROM payments p WHERE p.portal_id = invoices.portal_id AND p.invoice_id = invoices.id
         AND NOT EXISTS (${ITEM} AND p.id = ANY (e.payment_ids))))`,
    );
  }
  return `(${parts.join(' OR ')})`;
}

function incrementalBindings(format: string, payments: boolean, statuses: readonly string[]): string[] {
  return [format, ...statuses, format, format, ...(payments ? [format, format] : [])];
}

/** What `format` received of these invoices, over all its past batches. */
async function receivedBy(db: Db, portalId: number, format: string, invoiceIds: string[]): Promise<Map<string, Received>> {
  const rows = (await db('export_items')
    .where({ portal_id: portalId, format })
    .whereIn('invoice_id', invoiceIds)
    .select('invoice_id', 'state', 'payment_ids')) as Array<{ invoice_id: string; state: string; payment_ids: string[] | string }>;
  const out = new Map<string, Received>();
  for (const r of rows) {
    const got = out.get(r.invoice_id) ?? { void: false, paymentIds: new Set<string>() };
    if (r.state === 'void' || r.state === 'void_notice') got.void = true;
    for (const id of parseUuidArray(r.payment_ids)) got.paymentIds.add(id);
    out.set(r.invoice_id, got);
  }
  return out;
}

/** uuid[] as the driver returns it: an array (pg) or the text form `{a,b}` (drivers without the type parser). */
function parseUuidArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',');
}

/** Invoices the filter matches, for the progress total (the same conditions as exportPages). */
export async function countExportInvoices(db: Db, portalId: number, filter: ExportFilter): Promise<number> {
  const q = db('invoices')
    .where('portal_id', portalId)
    .whereNotNull('number')
    .whereIn('status', [...filter.statuses]);
  if (filter.from) q.where('invoice_date', '>=', filter.from);
  if (filter.to) q.where('invoice_date', '<=', filter.to);
  const row = (await q.count({ n: '*' }).first()) as { n: number | string };
  return Number(row.n);
}
