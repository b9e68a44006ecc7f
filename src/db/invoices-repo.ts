import type { Knex } from 'knex';
import type { DraftContent, Invoice } from '../domain/invoice.js';
import { OBJECT_TYPES } from '../domain/invoice.js';
import type { InvoiceTotals } from '../domain/totals.js';
import { toInvoice, type AdjustmentRow, type AssociationRow, type InvoiceRow, type LineRow } from './invoice-rows.js';

/** Any knex handle: the root instance or a transaction. */
export type Db = Knex | Knex.Transaction;

function draftColumns(content: DraftContent, totals: InvoiceTotals) {
  return {
    currency: content.currency,
    invoice_date: content.invoiceDate,
    due_date: content.dueDate,
    payment_terms: content.paymentTerms,
    subtotal: totals.subtotal,
    discount_total: totals.discountTotal,
    fee_total: totals.feeTotal,
    tax_total: totals.taxTotal,
    total: totals.total,
    rounding_rule: totals.roundingRule,
    payment_methods: JSON.stringify(content.paymentMethods),
    allow_partial_payments: content.allowPartialPayments,
    buyer_comments: content.buyerComments,
    domain: content.domain,
    bill_to: content.billTo === null ? null : JSON.stringify(content.billTo),
    source_object_type: content.source?.objectType ?? null,
    source_object_id: content.source?.objectId ?? null,
    crm_warnings: JSON.stringify(content.warnings),
  };
}

/** Inserts a new draft with its parts; returns its id. */
export async function insertDraft(
  trx: Knex.Transaction,
  portalId: number,
  content: DraftContent,
  totals: InvoiceTotals,
  meta: { publicToken: string; createdBy: string | null; now: Date },
): Promise<string> {
  const [row] = await trx('invoices')
    .insert({
      portal_id: portalId,
      ...draftColumns(content, totals),
      public_token: meta.publicToken,
      created_by: meta.createdBy,
      // Millisecond precision from the app clock: list cursors carry created_at as an ISO string.
      created_at: meta.now,
      updated_at: meta.now,
    })
    .returning('id');
  const id = (row as { id: string }).id;
  await insertParts(trx, portalId, id, content, totals);
  return id;
}

/**
 * Overwrites a draft's content if it is still a draft at `expectedVersion`; returns false when
 * the version moved on (the caller turns that into a 409).
 */
export async function updateDraft(
  trx: Knex.Transaction,
  portalId: number,
  id: string,
  expectedVersion: number,
  content: DraftContent,
  totals: InvoiceTotals,
): Promise<boolean> {
  const updated = await trx('invoices')
    .where({ portal_id: portalId, id, version: expectedVersion, status: 'draft' })
    .update({ ...draftColumns(content, totals), version: trx.raw('version + 1'), updated_at: trx.fn.now() });
  if (updated === 0) return false;
  for (const table of ['invoice_line_items', 'invoice_adjustments', 'invoice_associations']) {
    await trx(table).where({ portal_id: portalId, invoice_id: id }).delete();
  }
  await insertParts(trx, portalId, id, content, totals);
  return true;
}

async function insertParts(trx: Knex.Transaction, portalId: number, invoiceId: string, content: DraftContent, totals: InvoiceTotals) {
  const lines = content.lineItems.map((l, position) => {
    const t = totals.lines[position]!;
    return {
      portal_id: portalId,
      invoice_id: invoiceId,
      position,
      name: l.name,
      description: l.description,
      sku: l.sku,
      quantity: l.quantity,
      unit_price: l.unitPrice,
      discount_type: l.discount?.type ?? null,
      discount_value: l.discount?.value ?? null,
      tax_rate: l.taxRate,
      gross_amount: t.gross,
      discount_amount: t.discountAmount,
      amount: t.amount,
      invoice_discount_share: t.invoiceDiscountShare,
      tax_amount: t.taxAmount,
      hubspot_line_item_id: l.hubspotLineItemId,
      hubspot_product_id: l.hubspotProductId,
    };
  });
  // Chunks keep each statement under PostgreSQL's 65535 bind parameters.
  for (let i = 0; i < lines.length; i += 500) await trx('invoice_line_items').insert(lines.slice(i, i + 500));
  const adjustments = content.adjustments.map((a, position) => ({
    portal_id: portalId,
    invoice_id: invoiceId,
    position,
    kind: a.kind,
    label: a.label,
    type: a.type,
    value: a.value,
    amount: totals.adjustments[position]!.amount,
  }));
  if (adjustments.length > 0) await trx('invoice_adjustments').insert(adjustments);
  const associations = OBJECT_TYPES.flatMap((objectType) =>
    [...new Set(content.associations[objectType])].map((objectId) => ({
      portal_id: portalId,
      invoice_id: invoiceId,
      object_type: objectType,
      object_id: objectId,
    })),
  );
  if (associations.length > 0) await trx('invoice_associations').insert(associations);
}

/** Loads one invoice of a portal, or null. `forUpdate` locks its row until the transaction ends. */
export async function findInvoice(db: Db, portalId: number, id: string, opts: { forUpdate?: boolean } = {}): Promise<Invoice | null> {
  const query = db<InvoiceRow>('invoices').where({ portal_id: portalId, id }).first();
  if (opts.forUpdate) query.forUpdate();
  const row = (await query) as InvoiceRow | undefined;
  if (!row) return null;
  const [invoice] = await withParts(db, portalId, [row]);
  return invoice!;
}

/** Loads the parts of many invoice rows in three queries and assembles them, keeping row order. */
export async function withParts(db: Db, portalId: number, rows: InvoiceRow[]): Promise<Invoice[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const queries = [
    () => db<LineRow>('invoice_line_items').where('portal_id', portalId).whereIn('invoice_id', ids).orderBy(['invoice_id', 'position']),
    () => db<AdjustmentRow>('invoice_adjustments').where('portal_id', portalId).whereIn('invoice_id', ids).orderBy(['invoice_id', 'position']),
    () =>
      db<AssociationRow>('invoice_associations').where('portal_id', portalId).whereIn('invoice_id', ids).orderBy(['invoice_id', 'object_type', 'object_id']),
  ] as const;
  // A transaction has one connection: queries on it run one after another (pg refuses overlap);
  // outside one, the pool runs them side by side.
  const [lines, adjustments, associations] = db.isTransaction
    ? [await queries[0](), await queries[1](), await queries[2]()]
    : await Promise.all([queries[0](), queries[1](), queries[2]()]);
  const group = <T extends { invoice_id: string }>(items: T[]) => {
    const map = new Map<string, T[]>();
    for (const item of items) {
      const list = map.get(item.invoice_id);
      if (list) list.push(item);
      else map.set(item.invoice_id, [item]);
    }
    return map;
  };
  const l = group(lines as LineRow[]);
  const a = group(adjustments as AdjustmentRow[]);
  const s = group(associations as AssociationRow[]);
  return rows.map((r) => toInvoice(r, l.get(r.id) ?? [], a.get(r.id) ?? [], s.get(r.id) ?? []));
}

/**
 * Loads the invoice behind a hosted-page token, whatever its portal (tokens are unique across the
 * service), or null. The caller decides what a buyer may see; drafts come back too.
 */
export async function findInvoiceByPublicToken(db: Db, publicToken: string): Promise<Invoice | null> {
  const row = (await db<InvoiceRow>('invoices').where({ public_token: publicToken }).first()) as InvoiceRow | undefined;
  if (!row) return null;
  const [invoice] = await withParts(db, row.portal_id, [row]);
  return invoice!;
}
