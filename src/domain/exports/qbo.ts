/**
 * `qbo-csv`: QuickBooks Online invoice import (docs/finance.md, US layout): one row per line, rows
 * with the same InvoiceNo form one invoice; dates MM/DD/YYYY.
 *
 * QuickBooks Online computes US sales tax itself from `Taxable` and a rate, with its own rounding,
 * which can differ from ours by a minor unit. So, as in the Xero file, the file carries our exact
 * amounts as item rows: each line at quantity x rate, its discount as a negative row right after
 * it, then invoice discounts (negative), fees, one `Sales Tax` row per line tax rate (the sum of
 * those lines' taxes) and invoice-level taxes. Every row is `Taxable` = `N` so QuickBooks adds no
 * tax of its own; `TaxRate` stays empty. The rows' ItemAmount add up to the invoice's total.
 */
import type { Invoice } from '../invoice.js';
import type { PaymentTerms } from '../payment-terms.js';
import { encodeRecord, num, text, type Cell } from './csv.js';
import { adjustmentLabel, formatDate, lineAmount, money, notReconciled } from './common.js';

export const QBO_COLUMNS = [
  'InvoiceNo',
  'Customer',
  'InvoiceDate',
  'DueDate',
  'Terms',
  'Location',
  'Memo',
  'Item(Product/Service)',
  'ItemDescription',
  'ItemQuantity',
  'ItemRate',
  'ItemAmount',
  'Taxable',
  'TaxRate',
  'Service Date',
] as const;

/** QuickBooks Online's default term names; `custom` terms leave the column empty (DueDate rules). */
const QBO_TERMS: Record<PaymentTerms, string | null> = {
  due_on_receipt: 'Due on receipt',
  net_15: 'Net 15',
  net_30: 'Net 30',
  net_45: 'Net 45',
  net_60: 'Net 60',
  custom: null,
};

/** The rows of one invoice. */
export function qboRecords(inv: Invoice): string {
  const b = inv.billTo ?? {};
  const head: Cell[] = [
    text(inv.number),
    text(b.companyName || b.name || b.email || ''),
    text(formatDate(inv.invoiceDate, 'MM/DD/YYYY')),
    text(formatDate(inv.dueDate, 'MM/DD/YYYY')),
    text(QBO_TERMS[inv.paymentTerms]),
    null,
    text(inv.buyerComments),
  ];
  let out = '';
  let sum = 0;
  const row = (item: string, description: string, quantity: string, rateMinor: number) => {
    const amount = lineAmount(quantity, rateMinor);
    sum += amount;
    out += encodeRecord([...head, text(item), text(description), num(quantity), money(rateMinor, inv), money(amount, inv), text('N'), null, null]);
  };
  const taxByRate = new Map<string, number>();
  inv.lineItems.forEach((l, i) => {
    const t = inv.totals.lines[i]!;
    row(l.sku || l.name, l.description ? `${l.name}\n${l.description}` : l.name, l.quantity, l.unitPrice);
    if (t.discountAmount > 0) row('Discount', `Discount: ${l.name}`, '1', -t.discountAmount);
    if (t.taxAmount !== 0 && l.taxRate !== null) taxByRate.set(l.taxRate, (taxByRate.get(l.taxRate) ?? 0) + t.taxAmount);
  });
  const adjustments = inv.adjustments.map((adj, k) => ({ adj, amount: inv.totals.adjustments[k]!.amount })).filter((a) => a.amount !== 0);
  for (const { adj, amount } of adjustments) {
    if (adj.kind === 'discount') row('Discount', adjustmentLabel(adj), '1', -amount);
    else if (adj.kind === 'fee') row('Fee', adjustmentLabel(adj), '1', amount);
  }
  for (const [rate, amount] of taxByRate) row('Sales Tax', `Sales tax ${rate}%`, '1', amount);
  for (const { adj, amount } of adjustments) if (adj.kind === 'tax') row('Sales Tax', adjustmentLabel(adj), '1', amount);
  if (sum !== inv.totals.total) throw notReconciled(inv, 'rows', inv.totals.total, sum, inv.currency);
  return out;
}
