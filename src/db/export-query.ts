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
): AsyncGenerator<Array<{ invoice: Invoice; payments: ExportPayment[] }>> {
  let after: [string, number, string] | null = null;
  for (;;) {
    const query = db<InvoiceRow>('invoices')
      .where('portal_id', portalId)
      .whereNotNull('number')
      .whereIn('status', [...filter.statuses]);
    if (filter.from) query.where('invoice_date', '>=', filter.from);
    if (filter.to) query.where('invoice_date', '<=', filter.to);
    if (after) query.whereRaw('(number_prefix, number_seq, id) > (?, ?, ?)', after);
    const rows = (await query.orderBy(['number_prefix', 'number_seq', 'id']).limit(pageSize)) as Array<InvoiceRow & { number_prefix: string; number_seq: number }>;
    if (rows.length === 0) return;
    const invoices = await withParts(db, portalId, rows);
    const paymentRows = (await db('payments')
      .where('portal_id', portalId)
      .whereIn('invoice_id', rows.map((r) => r.id))
      .orderBy(['invoice_id', 'received_on', 'created_at', 'id'])) as Array<{
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
      const amount = p.kind === 'refund' ? -p.applied_amount : p.applied_amount;
      list.push({ amount, method: p.method, receivedOn: p.received_on, reference: p.reference });
      byInvoice.set(p.invoice_id, list);
    }
    yield invoices.map((invoice) => ({ invoice, payments: byInvoice.get(invoice.id) ?? [] }));
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = [last.number_prefix, last.number_seq, last.id];
  }
}
