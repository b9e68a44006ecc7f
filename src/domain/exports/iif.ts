/**
 * `qbd-iif`: QuickBooks Desktop IIF (docs/finance.md). Tab-separated, CRLF; the header rows `!TRNS`,
 * `!SPL`, `!ENDTRNS` name the columns, then per invoice a `TRNS` row (INVOICE, Accounts
 * Receivable, +total), `SPL` rows (lines to the income account with negative AMOUNT and QNTY,
 * their discounts and invoice discounts positive, fees negative, taxes negative to the sales tax
 * account) and `ENDTRNS`; per recorded payment a `PAYMENT` transaction (Undeposited Funds
 * +amount, Accounts Receivable -amount). Every transaction's amounts sum to zero, checked while
 * writing. IIF has no quoting: tabs, CR and LF in text become spaces and `"` becomes `'`; text
 * keeps the formula guard (a leading `'`) as in the CSV formats. A void invoice is written as
 * QuickBooks shows one: the same rows with zero amounts and `VOID: reason` as memo.
 *
 * Incremental batches (ExportPart): IIF import only adds transactions, it can neither void nor
 * change one already imported. So an invoice voided after it was exported is written as a
 * `CREDIT MEMO` for the customer (DOCNUM `<number>-VOID`, memo `VOID <number>: reason`) whose
 * splits reverse the invoice's exactly (voided invoices never carry payments), which takes the
 * balance off Accounts Receivable and the income and tax accounts; new payments on an invoice
 * already exported are written as PAYMENT transactions only.
 *
 * Accounts: receivable, income (per SKU) and sales tax from the mappings; Undeposited Funds fixed.
 */
import type { Invoice } from '../invoice.js';
import { minorToDecimalString } from '../money/format.js';
import { num, text, type Cell } from './csv.js';
import {
  adjustmentLabel,
  formatDate,
  lineAmount,
  negateDecimal,
  notReconciled,
  WHOLE,
  type ExportOptions,
  type ExportPart,
  type ExportPayment,
} from './common.js';
import { DEFAULT_MAPPINGS, mapLine } from './mappings.js';

/** The default accounts (the mappings replace the first three). */
export const IIF_ACCOUNTS = {
  receivable: DEFAULT_MAPPINGS.receivableAccount,
  income: DEFAULT_MAPPINGS.incomeAccount,
  salesTax: DEFAULT_MAPPINGS.taxAccount,
  undeposited: 'Undeposited Funds',
} as const;

const TRNS_COLUMNS = ['TRNSTYPE', 'DATE', 'ACCNT', 'NAME', 'AMOUNT', 'DOCNUM', 'MEMO', 'DUEDATE'] as const;
const SPL_COLUMNS = ['TRNSTYPE', 'DATE', 'ACCNT', 'NAME', 'AMOUNT', 'DOCNUM', 'MEMO', 'QNTY', 'PRICE', 'INVITEM'] as const;

type Row = Partial<Record<(typeof TRNS_COLUMNS)[number] | (typeof SPL_COLUMNS)[number], Cell>>;

const FORMULA_START = /^[=+\-@]/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** One IIF field: no quoting exists, so separators and quotes are neutralized. */
export function encodeIifCell(cell: Cell): string {
  if (cell === null) return '';
  if ('n' in cell) {
    if (!DECIMAL.test(cell.n)) throw new Error(`numeric cell is not a decimal: ${JSON.stringify(cell.n)}`);
    return cell.n;
  }
  const flat = cell.t
    .replace(/ *[\t\r\n][\t\r\n ]*/g, ' ')
    .replace(/"/g, "'")
    .trim();
  return FORMULA_START.test(flat) ? `'${flat}` : flat;
}

const record = (kind: string, cells: Cell[]) => `${[kind, ...cells.map(encodeIifCell)].join('\t')}\r\n`;
const trns = (r: Row) =>
  record(
    'TRNS',
    TRNS_COLUMNS.map((c) => r[c] ?? null),
  );
const spl = (r: Row) =>
  record(
    'SPL',
    SPL_COLUMNS.map((c) => r[c] ?? null),
  );
const ENDTRNS = 'ENDTRNS\r\n';

/** The three header rows. */
export function iifHeader(): string {
  return `${['!TRNS', ...TRNS_COLUMNS].join('\t')}\r\n${['!SPL', ...SPL_COLUMNS].join('\t')}\r\n!ENDTRNS\r\n`;
}

/**
 * The invoice transaction, then one PAYMENT transaction per payment (`part` invoice); the
 * reversing credit memo (`void`); or only the new payments (`payments`).
 */
export function iifRecords(inv: Invoice, payments: ExportPayment[], opts: ExportOptions = { mappings: DEFAULT_MAPPINGS }, part: ExportPart = WHOLE): string {
  const paid = payments.reduce((s, p) => s + p.amount, 0);
  if (paid !== inv.amountPaid) throw notReconciled(inv, 'payments', inv.amountPaid, paid, inv.currency);
  if (part.kind === 'payments')
    return paymentTransactions(
      inv,
      payments.filter((p) => part.paymentIds.has(p.id)),
      opts,
    );
  const out = invoiceTransaction(inv, opts, part.kind === 'void');
  return part.kind === 'void' ? out : out + paymentTransactions(inv, payments, opts);
}

/** The INVOICE transaction (or, with `reverse`, the CREDIT MEMO that undoes it). Sums to zero. */
function invoiceTransaction(inv: Invoice, opts: ExportOptions, reverse: boolean): string {
  const m = opts.mappings;
  const b = inv.billTo ?? {};
  // A void written as it stands (full export) keeps its rows with zero amounts.
  const zero = inv.status === 'void' && !reverse;
  const sign = reverse ? -1 : 1;
  const amt = (minor: number): Cell => num(minorToDecimalString(zero ? 0 : sign * minor, inv.currency));
  const common: Row = {
    TRNSTYPE: text(reverse ? 'CREDIT MEMO' : 'INVOICE'),
    DATE: text(formatDate(reverse && inv.voidedAt ? inv.voidedAt.toISOString().slice(0, 10) : inv.invoiceDate, 'MM/DD/YYYY')),
    NAME: text(b.companyName || b.name || b.email || ''),
    DOCNUM: text(reverse ? `${inv.number}-VOID` : inv.number),
  };
  const memo = reverse
    ? `VOID ${inv.number}: ${inv.voidReason ?? ''}`.trim()
    : inv.status === 'void'
      ? `VOID: ${inv.voidReason ?? ''}`.trim()
      : inv.buyerComments;
  let sum = inv.totals.total;
  let out = trns({
    ...common,
    ACCNT: text(m.receivableAccount),
    AMOUNT: amt(inv.totals.total),
    MEMO: text(memo),
    DUEDATE: reverse ? null : text(formatDate(inv.dueDate, 'MM/DD/YYYY')),
  });
  /** A split of `amount` (credit negative); `quantity` is the line's (written negated) for item lines. */
  const split = (account: string, item: string, description: string, amount: number, quantity: string | null, priceMinor: number | null) => {
    sum += amount;
    out += spl({
      ...common,
      ACCNT: text(account),
      AMOUNT: amt(amount),
      MEMO: text(description),
      INVITEM: text(item),
      QNTY: quantity === null ? null : num(zero ? '0' : reverse ? quantity : negateDecimal(quantity)),
      PRICE: priceMinor === null ? null : num(minorToDecimalString(priceMinor, inv.currency)),
    });
  };
  const taxByRate = new Map<string, number>();
  inv.lineItems.forEach((l, i) => {
    const t = inv.totals.lines[i]!;
    const income = mapLine(m, l).incomeAccount;
    split(income, l.sku || l.name, l.description ? `${l.name}: ${l.description}` : l.name, -lineAmount(l.quantity, l.unitPrice), l.quantity, l.unitPrice);
    if (t.discountAmount > 0) split(income, 'Discount', `Discount: ${l.name}`, t.discountAmount, null, null);
    if (t.taxAmount !== 0 && l.taxRate !== null) taxByRate.set(l.taxRate, (taxByRate.get(l.taxRate) ?? 0) + t.taxAmount);
  });
  const adjustments = inv.adjustments.map((adj, k) => ({ adj, amount: inv.totals.adjustments[k]!.amount })).filter((a) => a.amount !== 0);
  for (const { adj, amount } of adjustments) {
    if (adj.kind === 'discount') split(m.incomeAccount, 'Discount', adjustmentLabel(adj), amount, null, null);
    else if (adj.kind === 'fee') split(m.incomeAccount, 'Fee', adjustmentLabel(adj), -amount, null, null);
  }
  for (const [rate, amount] of taxByRate) split(m.taxAccount, 'Sales Tax', `Sales tax ${rate}%`, -amount, null, null);
  for (const { adj, amount } of adjustments) if (adj.kind === 'tax') split(m.taxAccount, 'Sales Tax', adjustmentLabel(adj), -amount, null, null);
  if (sum !== 0) throw notReconciled(inv, 'splits', inv.totals.total, inv.totals.total - sum, inv.currency);
  return out + ENDTRNS;
}

/** One PAYMENT transaction per payment: Undeposited Funds +amount, the receivable account -amount. */
function paymentTransactions(inv: Invoice, payments: ExportPayment[], opts: ExportOptions): string {
  const b = inv.billTo ?? {};
  let out = '';
  for (const p of payments) {
    const pay: Row = {
      TRNSTYPE: text('PAYMENT'),
      DATE: text(formatDate(p.receivedOn, 'MM/DD/YYYY')),
      NAME: text(b.companyName || b.name || b.email || ''),
      DOCNUM: text(p.reference || inv.number),
      MEMO: text(`Payment for ${inv.number ?? inv.id} (${p.method})`),
    };
    const money = (minor: number): Cell => num(minorToDecimalString(minor, inv.currency));
    out += trns({ ...pay, ACCNT: text(IIF_ACCOUNTS.undeposited), AMOUNT: money(p.amount) });
    out += spl({ ...pay, ACCNT: text(opts.mappings.receivableAccount), AMOUNT: money(-p.amount) });
    out += ENDTRNS;
  }
  return out;
}
