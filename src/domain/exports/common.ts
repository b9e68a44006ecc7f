/**
 * What every export format shares: options, payments as exported, dates, amounts and the
 * reconciliation error. Each format re-adds, from the values it actually writes, the invoice's
 * total; an invoice whose written parts do not add up stops the export with an error naming it.
 */
import { DomainError } from '../errors.js';
import type { Invoice } from '../invoice.js';
import { minorToDecimalString } from '../money/format.js';
import { parseDecimal } from '../money/decimal.js';
import { multiplyByDecimal } from '../money/rounding.js';
import { num, type Cell } from './csv.js';
import type { DateFormat } from './date-formats.js';
import type { AccountingMappings } from './mappings.js';

/** A payment as exported. */
export interface ExportPayment {
  id: string;
  amount: number;
  method: string;
  receivedOn: string;
  reference: string;
}

/** What a format needs besides the invoice: the portal's accounting mappings (request overrides applied). */
export interface ExportOptions {
  mappings: AccountingMappings;
}

/**
 * What of an invoice a file carries. `invoice`: the invoice as it is (first time this target gets
 * it). `void`: it was voided after the target received it. `payments`: the target has the invoice,
 * these payments (by id) are new. Formats that cannot express a part never get it (FormatWriter).
 */
export type ExportPart = { kind: 'invoice' } | { kind: 'void' } | { kind: 'payments'; paymentIds: ReadonlySet<string> };
export const WHOLE: ExportPart = Object.freeze({ kind: 'invoice' });

/** Raised when an invoice's written parts do not add up to its total. */
export function notReconciled(inv: Pick<Invoice, 'number' | 'id'>, what: string, expected: number, got: number, currency: string): DomainError {
  const name = inv.number ?? inv.id;
  return new DomainError(
    'export_not_reconciled',
    `Invoice ${name} does not reconcile: its ${what} add up to ${minorToDecimalString(got, currency)}, not ${minorToDecimalString(expected, currency)}; the export was stopped`,
    [{ path: `invoices.${name}`, message: `${what} add up to ${got}, expected ${expected}` }],
  );
}

/** `YYYY-MM-DD` in a regional format. */
export function formatDate(iso: string, format: DateFormat): string {
  const [y, m, d] = iso.split('-');
  return format === 'DD/MM/YYYY' ? `${d}/${m}/${y}` : `${m}/${d}/${y}`;
}

/** A numeric cell holding minor units as a decimal string with the currency's exponent. */
export const money = (amount: number, inv: Pick<Invoice, 'currency'>): Cell => num(minorToDecimalString(amount, inv.currency));

/** What a reader of the file computes for quantity x unit amount (the engine's own rounding). */
export function lineAmount(quantity: string, unitPriceMinor: number): number {
  return Number(multiplyByDecimal(BigInt(unitPriceMinor), parseDecimal(quantity, 'quantity')));
}

/** `-1.5` for `1.5` (decimal strings, no floats). */
export function negateDecimal(value: string): string {
  if (value.startsWith('-')) return value.slice(1);
  return /^0+(\.0+)?$/.test(value) ? value : `-${value}`;
}

/** The label of an invoice-level adjustment. */
export function adjustmentLabel(adj: Invoice['adjustments'][number]): string {
  return adj.label || { discount: 'Discount', fee: 'Fee', tax: 'Tax' }[adj.kind];
}

/** A line's name with its description on a second line. */
export function lineText(l: Invoice['lineItems'][number]): string {
  return l.description ? `${l.name}\n${l.description}` : l.name;
}
