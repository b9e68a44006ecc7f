/** `xero-csv`: Xero's sales invoice import template (docs/finance.md). */
import type { Invoice } from '../invoice.js';
import { encodeRecord, num, text, type Cell } from './csv.js';
import { adjustmentLabel, formatDate, lineAmount, lineText, money, notReconciled, type ExportOptions } from './common.js';
import { mapLine } from './mappings.js';

/** Xero's sales invoice import template: these 29 columns, in this order (docs/finance.md). */
export const XERO_COLUMNS = [
  '*ContactName',
  'EmailAddress',
  'POAddressLine1',
  'POAddressLine2',
  'POAddressLine3',
  'POAddressLine4',
  'POCity',
  'PORegion',
  'POPostalCode',
  'POCountry',
  '*InvoiceNumber',
  'Reference',
  '*InvoiceDate',
  '*DueDate',
  'Total',
  'InventoryItemCode',
  '*Description',
  '*Quantity',
  '*UnitAmount',
  'Discount',
  '*AccountCode',
  '*TaxType',
  'TaxAmount',
  'TrackingName1',
  'TrackingOption1',
  'TrackingName2',
  'TrackingOption2',
  'Currency',
  'BrandingTheme',
] as const;

/**
 * One row per line item, account code and tax type from the mappings (by SKU, then defaults),
 * dates in the mappings' regional format. Xero's own Discount column is a rate applied before
 * its own rounding, which can differ from ours by a minor unit, so discounts are written as negative lines that
 * carry our exact amounts: a line's discount right after it, invoice discounts, fees and
 * invoice-level taxes as lines of their own. Line TaxAmount is our tax (after invoice discounts).
 */
export function xeroRecords(inv: Invoice, opts: ExportOptions): string {
  const m = opts.mappings;
  const b = inv.billTo ?? {};
  const a = b.address ?? {};
  const head: Cell[] = [
    text(b.companyName || b.name || b.email || ''),
    text(b.email),
    text(a.line1),
    text(a.line2),
    null,
    null,
    text(a.city),
    text(a.region),
    text(a.postalCode),
    text(a.country),
    text(inv.number),
    null,
    text(formatDate(inv.invoiceDate, m.dateFormat)),
    text(formatDate(inv.dueDate, m.dateFormat)),
    money(inv.totals.total, inv),
  ];
  const tail: Cell[] = [null, null, null, null, text(inv.currency), null];
  let out = '';
  let sum = 0;
  const row = (sku: string | null, description: string, quantity: string, unitMinor: number, accountCode: string, taxType: string, taxMinor: number) => {
    sum += lineAmount(quantity, unitMinor) + taxMinor;
    out += encodeRecord([
      ...head,
      text(sku),
      text(description),
      num(quantity),
      money(unitMinor, inv),
      null,
      text(accountCode),
      text(taxType),
      money(taxMinor, inv),
      ...tail,
    ]);
  };
  inv.lineItems.forEach((l, i) => {
    const t = inv.totals.lines[i]!;
    const map = mapLine(m, l);
    row(l.sku, lineText(l), l.quantity, l.unitPrice, map.accountCode, map.taxType, t.taxAmount);
    // A line's discount reduces that line's account; it carries no tax of its own.
    if (t.discountAmount > 0) row(null, `Discount: ${l.name}`, '1', -t.discountAmount, map.accountCode, m.defaultTaxType, 0);
  });
  // Invoice discounts, fees and invoice-level taxes: the default account, untaxed.
  inv.adjustments.forEach((adj, k) => {
    const amount = inv.totals.adjustments[k]!.amount;
    if (amount === 0) return;
    row(null, adjustmentLabel(adj), '1', adj.kind === 'discount' ? -amount : amount, m.defaultAccountCode, m.defaultTaxType, 0);
  });
  if (sum !== inv.totals.total) throw notReconciled(inv, 'rows', inv.totals.total, sum, inv.currency);
  return out;
}
