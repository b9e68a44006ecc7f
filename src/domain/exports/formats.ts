/**
 * Accounting export formats: each turns one invoice (with its payments) into CSV records and
 * re-adds, from the values it actually writes, the invoice's total; an invoice whose written
 * parts do not add up to its total stops the export with an error naming it.
 */
import { DomainError } from '../errors.js';
import type { Invoice } from '../invoice.js';
import { minorToDecimalString } from '../money/format.js';
import { parseDecimal } from '../money/decimal.js';
import { multiplyByDecimal } from '../money/rounding.js';
import { encodeRecord, headerRecord, num, text, type Cell } from './csv.js';

export const EXPORT_FORMATS = ['csv', 'xero-csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const DATE_FORMATS = ['DD/MM/YYYY', 'MM/DD/YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** A payment as exported. */
export interface ExportPayment {
  amount: number;
  method: string;
  receivedOn: string;
  reference: string;
}

export interface ExportOptions {
  dateFormat: DateFormat;
  /** Xero account code of every line until per-product mappings exist in settings. */
  accountCode: string;
}

/** Raised when an invoice's written parts do not add up to its total. */
export function notReconciled(inv: Pick<Invoice, 'number' | 'id'>, what: string, expected: number, got: number, currency: string): DomainError {
  const name = inv.number ?? inv.id;
  return new DomainError(
    'export_not_reconciled',
    `Invoice ${name} does not reconcile: its ${what} add up to ${minorToDecimalString(got, currency)}, not ${minorToDecimalString(expected, currency)}; the export was stopped`,
    [{ path: `invoices.${name}`, message: `${what} add up to ${got}, expected ${expected}` }],
  );
}

function formatDate(iso: string, format: DateFormat): string {
  const [y, m, d] = iso.split('-');
  return format === 'DD/MM/YYYY' ? `${d}/${m}/${y}` : `${m}/${d}/${y}`;
}

const money = (amount: number, inv: Invoice) => num(minorToDecimalString(amount, inv.currency));

/** What a reader of the file computes for quantity x unit amount (the engine's own rounding). */
function lineAmount(quantity: string, unitPriceMinor: number): number {
  return Number(multiplyByDecimal(BigInt(unitPriceMinor), parseDecimal(quantity, 'quantity')));
}

// ---------------------------------------------------------------------------------------------
// xero-csv

/** Xero's sales invoice import template: these 29 columns, in this order (vendors.md). */
export const XERO_COLUMNS = [
  '*ContactName', 'EmailAddress', 'POAddressLine1', 'POAddressLine2', 'POAddressLine3', 'POAddressLine4',
  'POCity', 'PORegion', 'POPostalCode', 'POCountry', '*InvoiceNumber', 'Reference', '*InvoiceDate', '*DueDate',
  'Total', 'InventoryItemCode', '*Description', '*Quantity', '*UnitAmount', 'Discount', '*AccountCode', '*TaxType',
  'TaxAmount', 'TrackingName1', 'TrackingOption1', 'TrackingName2', 'TrackingOption2', 'Currency', 'BrandingTheme',
] as const;

/** Display name of a tax rate (mappings from settings replace this later). */
function xeroTaxType(rate: string | null): string {
  return rate === null || Number(rate) === 0 ? 'Tax Exempt (0%)' : `Tax ${rate}%`;
}

/**
 * One row per line item. Xero's own Discount column is a rate applied before its own rounding,
 * which can differ from ours by a minor unit, so discounts are written as negative lines that
 * carry our exact amounts: a line's discount right after it, invoice discounts, fees and
 * invoice-level taxes as lines of their own. Line TaxAmount is our tax (after invoice discounts).
 */
export function xeroRecords(inv: Invoice, opts: ExportOptions): string {
  const b = inv.billTo ?? {};
  const a = b.address ?? {};
  const head: Cell[] = [
    text(b.companyName || b.name || b.email || ''), text(b.email), text(a.line1), text(a.line2), null, null,
    text(a.city), text(a.region), text(a.postalCode), text(a.country), text(inv.number), null,
    text(formatDate(inv.invoiceDate, opts.dateFormat)), text(formatDate(inv.dueDate, opts.dateFormat)), money(inv.totals.total, inv),
  ];
  const tail: Cell[] = [null, null, null, null, text(inv.currency), null];
  let out = '';
  let sum = 0;
  const row = (sku: string | null, description: string, quantity: string, unitMinor: number, taxRate: string | null, taxMinor: number) => {
    sum += lineAmount(quantity, unitMinor) + taxMinor;
    out += encodeRecord([
      ...head, text(sku), text(description), num(quantity), money(unitMinor, inv), null, text(opts.accountCode),
      text(xeroTaxType(taxRate)), money(taxMinor, inv), ...tail,
    ]);
  };
  inv.lineItems.forEach((l, i) => {
    const t = inv.totals.lines[i]!;
    row(l.sku, l.description ? `${l.name}\n${l.description}` : l.name, l.quantity, l.unitPrice, l.taxRate, t.taxAmount);
    if (t.discountAmount > 0) row(null, `Discount: ${l.name}`, '1', -t.discountAmount, null, 0);
  });
  inv.adjustments.forEach((adj, k) => {
    const amount = inv.totals.adjustments[k]!.amount;
    if (amount === 0) return;
    const label = adj.label || { discount: 'Discount', fee: 'Fee', tax: 'Tax' }[adj.kind];
    row(null, label, '1', adj.kind === 'discount' ? -amount : amount, null, 0);
  });
  if (sum !== inv.totals.total) throw notReconciled(inv, 'rows', inv.totals.total, sum, inv.currency);
  return out;
}

// ---------------------------------------------------------------------------------------------
// csv: everything we know, one record per invoice, line, adjustment and payment

export const CSV_COLUMNS = [
  'record_type', 'invoice_number', 'invoice_id', 'status', 'currency', 'invoice_date', 'due_date',
  'contact_name', 'contact_email', 'company_name', 'position', 'kind', 'name', 'description', 'sku',
  'quantity', 'unit_price', 'value_type', 'value', 'tax_rate', 'amount', 'tax_amount',
  'total', 'amount_paid', 'balance_due', 'payment_method', 'payment_reference', 'received_on', 'void_reason',
] as const;

type CsvRecord = Partial<Record<(typeof CSV_COLUMNS)[number], Cell>>;

/**
 * Record types: `invoice` (total, amount_paid, balance_due), `line` (amount = after its own
 * discount, before invoice discounts; tax_amount), `adjustment` (signed amount: discounts
 * negative) and `payment`. Lines' amount + tax_amount plus adjustments add up to the total;
 * payments add up to amount_paid.
 */
export function csvRecords(inv: Invoice, payments: ExportPayment[]): string {
  const b = inv.billTo ?? {};
  const common: CsvRecord = {
    invoice_number: text(inv.number), invoice_id: text(inv.id), status: text(inv.status), currency: text(inv.currency),
    invoice_date: text(inv.invoiceDate), due_date: text(inv.dueDate),
    contact_name: text(b.name), contact_email: text(b.email), company_name: text(b.companyName),
  };
  const write = (r: CsvRecord) => encodeRecord(CSV_COLUMNS.map((c) => r[c] ?? null));
  const balance = inv.status === 'void' ? 0 : inv.totals.total - inv.amountPaid;
  let out = write({
    record_type: text('invoice'), ...common, total: money(inv.totals.total, inv), amount_paid: money(inv.amountPaid, inv),
    balance_due: money(balance, inv), void_reason: text(inv.voidReason),
  });
  let sum = 0;
  inv.lineItems.forEach((l, i) => {
    const t = inv.totals.lines[i]!;
    sum += t.amount + t.taxAmount;
    out += write({
      record_type: text('line'), ...common, position: num(String(i + 1)), name: text(l.name), description: text(l.description), sku: text(l.sku),
      quantity: num(l.quantity), unit_price: money(l.unitPrice, inv), value_type: text(l.discount?.type),
      value: l.discount ? (l.discount.type === 'amount' ? money(Number(l.discount.value), inv) : num(l.discount.value)) : null,
      tax_rate: num(l.taxRate), amount: money(t.amount, inv), tax_amount: money(t.taxAmount, inv),
    });
  });
  inv.adjustments.forEach((adj, k) => {
    const amount = inv.totals.adjustments[k]!.amount;
    const signed = adj.kind === 'discount' ? -amount : amount;
    sum += signed;
    out += write({
      record_type: text('adjustment'), ...common, position: num(String(k + 1)), kind: text(adj.kind), name: text(adj.label),
      value_type: text(adj.type), value: adj.type === 'amount' ? money(Number(adj.value), inv) : num(adj.value), amount: money(signed, inv),
    });
  });
  if (sum !== inv.totals.total) throw notReconciled(inv, 'lines and adjustments', inv.totals.total, sum, inv.currency);
  let paid = 0;
  payments.forEach((p, k) => {
    paid += p.amount;
    out += write({
      record_type: text('payment'), ...common, position: num(String(k + 1)), amount: money(p.amount, inv),
      payment_method: text(p.method), payment_reference: text(p.reference), received_on: text(p.receivedOn),
    });
  });
  if (paid !== inv.amountPaid) throw notReconciled(inv, 'payments', inv.amountPaid, paid, inv.currency);
  return out;
}

/** The header record of a format. */
export function exportHeader(format: ExportFormat): string {
  return headerRecord(format === 'xero-csv' ? XERO_COLUMNS : CSV_COLUMNS);
}
