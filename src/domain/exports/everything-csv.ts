/** `csv`: everything we know, one record per invoice, line, adjustment and payment. */
import type { Invoice } from '../invoice.js';
import { encodeRecord, num, text, type Cell } from './csv.js';
import { money, notReconciled, WHOLE, type ExportPart, type ExportPayment } from './common.js';

export const CSV_COLUMNS = [
  'record_type',
  'invoice_number',
  'invoice_id',
  'status',
  'currency',
  'invoice_date',
  'due_date',
  'contact_name',
  'contact_email',
  'company_name',
  'position',
  'kind',
  'name',
  'description',
  'sku',
  'quantity',
  'unit_price',
  'value_type',
  'value',
  'tax_rate',
  'amount',
  'tax_amount',
  'total',
  'amount_paid',
  'balance_due',
  'payment_method',
  'payment_reference',
  'received_on',
  'void_reason',
] as const;

type CsvRecord = Partial<Record<(typeof CSV_COLUMNS)[number], Cell>>;

/**
 * Record types: `invoice` (total, amount_paid, balance_due), `line` (amount = after its own
 * discount, before invoice discounts; tax_amount), `adjustment` (signed amount: discounts
 * negative) and `payment`. Lines' amount + tax_amount plus adjustments add up to the total;
 * payments add up to amount_paid.
 *
 * Incremental parts: for an invoice the target already has, only its `invoice` record (current
 * status, amount paid, balance, void reason) and, for `payments`, the records of the new
 * payments; lines and adjustments are not repeated. All payments are still re-added.
 */
export function csvRecords(inv: Invoice, payments: ExportPayment[], part: ExportPart = WHOLE): string {
  const b = inv.billTo ?? {};
  const common: CsvRecord = {
    invoice_number: text(inv.number),
    invoice_id: text(inv.id),
    status: text(inv.status),
    currency: text(inv.currency),
    invoice_date: text(inv.invoiceDate),
    due_date: text(inv.dueDate),
    contact_name: text(b.name),
    contact_email: text(b.email),
    company_name: text(b.companyName),
  };
  const write = (r: CsvRecord) => encodeRecord(CSV_COLUMNS.map((c) => r[c] ?? null));
  const balance = inv.status === 'void' ? 0 : inv.totals.total - inv.amountPaid;
  let out = write({
    record_type: text('invoice'),
    ...common,
    total: money(inv.totals.total, inv),
    amount_paid: money(inv.amountPaid, inv),
    balance_due: money(balance, inv),
    void_reason: text(inv.voidReason),
  });
  // A voided invoice never has payments: its void is the invoice record alone.
  if (part.kind === 'void') {
    if (inv.amountPaid !== 0 || payments.length > 0) throw notReconciled(inv, 'payments', 0, inv.amountPaid, inv.currency);
    return out;
  }
  if (part.kind === 'invoice') out += partsRecords(inv, common, write);
  let paid = 0;
  payments.forEach((p, k) => {
    paid += p.amount;
    if (part.kind === 'payments' && !part.paymentIds.has(p.id)) return;
    out += write({
      record_type: text('payment'),
      ...common,
      position: num(String(k + 1)),
      amount: money(p.amount, inv),
      payment_method: text(p.method),
      payment_reference: text(p.reference),
      received_on: text(p.receivedOn),
    });
  });
  if (paid !== inv.amountPaid) throw notReconciled(inv, 'payments', inv.amountPaid, paid, inv.currency);
  return out;
}

/** Line and adjustment records; they add up to the invoice's total (checked). */
function partsRecords(inv: Invoice, common: CsvRecord, write: (r: CsvRecord) => string): string {
  let out = '';
  let sum = 0;
  inv.lineItems.forEach((l, i) => {
    const t = inv.totals.lines[i]!;
    sum += t.amount + t.taxAmount;
    out += write({
      record_type: text('line'),
      ...common,
      position: num(String(i + 1)),
      name: text(l.name),
      description: text(l.description),
      sku: text(l.sku),
      quantity: num(l.quantity),
      unit_price: money(l.unitPrice, inv),
      value_type: text(l.discount?.type),
      value: l.discount ? (l.discount.type === 'amount' ? money(Number(l.discount.value), inv) : num(l.discount.value)) : null,
      tax_rate: num(l.taxRate),
      amount: money(t.amount, inv),
      tax_amount: money(t.taxAmount, inv),
    });
  });
  inv.adjustments.forEach((adj, k) => {
    const amount = inv.totals.adjustments[k]!.amount;
    const signed = adj.kind === 'discount' ? -amount : amount;
    sum += signed;
    out += write({
      record_type: text('adjustment'),
      ...common,
      position: num(String(k + 1)),
      kind: text(adj.kind),
      name: text(adj.label),
      value_type: text(adj.type),
      value: adj.type === 'amount' ? money(Number(adj.value), inv) : num(adj.value),
      amount: money(signed, inv),
    });
  });
  if (sum !== inv.totals.total) throw notReconciled(inv, 'lines and adjustments', inv.totals.total, sum, inv.currency);
  return out;
}
