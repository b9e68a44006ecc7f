/**
 * `qbd-iif`: QuickBooks Desktop IIF (vendors.md). Tab-separated, CRLF; the header rows `!TRNS`,
 * `!SPL`, `!ENDTRNS` name the columns, then per invoice a `TRNS` row (INVOICE, Accounts
 * Receivable, +total), `SPL` rows (lines to the income account with negative AMOUNT and QNTY,
 * their discounts and invoice discounts positive, fees negative, taxes negative to the sales tax
 * account) and `ENDTRNS`; per recorded payment a `PAYMENT` transaction (Undeposited Funds
 * +amount, Accounts Receivable -amount). Every transaction's amounts sum to zero, checked while
 * writing. IIF has no quoting: tabs, CR and LF in text become spaces and `"` becomes `'`; text
 * keeps the formula guard (a leading `'`) as in the CSV formats. A void invoice is written as
 * QuickBooks shows one: the same rows with zero amounts and `VOID: reason` as memo.
 */
import type { Invoice } from '../invoice.js';
import { minorToDecimalString } from '../money/format.js';
import { num, text, type Cell } from './csv.js';
import { adjustmentLabel, formatDate, lineAmount, negateDecimal, notReconciled, type ExportPayment } from './common.js';

export const IIF_ACCOUNTS = {
  receivable: 'Accounts Receivable',
  income: 'Sales',
  salesTax: 'Sales Tax Payable',
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
  const flat = cell.t.replace(/ *[\t\r\n][\t\r\n ]*/g, ' ').replace(/"/g, "'").trim();
  return FORMULA_START.test(flat) ? `'${flat}` : flat;
}

const record = (kind: string, cells: Cell[]) => `${[kind, ...cells.map(encodeIifCell)].join('\t')}\r\n`;
const trns = (r: Row) => record('TRNS', TRNS_COLUMNS.map((c) => r[c] ?? null));
const spl = (r: Row) => record('SPL', SPL_COLUMNS.map((c) => r[c] ?? null));
const ENDTRNS = 'ENDTRNS\r\n';

/** The three header rows. */
export function iifHeader(): string {
  return `${['!TRNS', ...TRNS_COLUMNS].join('\t')}\r\n${['!SPL', ...SPL_COLUMNS].join('\t')}\r\n!ENDTRNS\r\n`;
}

/** The invoice transaction, then one PAYMENT transaction per payment. */
export function iifRecords(inv: Invoice, payments: ExportPayment[]): string {
  const b = inv.billTo ?? {};
  const isVoid = inv.status === 'void';
  const amt = (minor: number): Cell => num(minorToDecimalString(isVoid ? 0 : minor, inv.currency));
  const common: Row = { TRNSTYPE: text('INVOICE'), DATE: text(formatDate(inv.invoiceDate, 'MM/DD/YYYY')), NAME: text(b.companyName || b.name || b.email || ''), DOCNUM: text(inv.number) };
  const memo = isVoid ? `VOID: ${inv.voidReason ?? ''}`.trim() : inv.buyerComments;
  let sum = isVoid ? 0 : inv.totals.total;
  let out = trns({ ...common, ACCNT: text(IIF_ACCOUNTS.receivable), AMOUNT: amt(inv.totals.total), MEMO: text(memo), DUEDATE: text(formatDate(inv.dueDate, 'MM/DD/YYYY')) });
  /** A split of `amount` (credit negative); `quantity` is the line's (written negated) for item lines. */
  const split = (account: string, item: string, description: string, amount: number, quantity: string | null, priceMinor: number | null) => {
    if (!isVoid) sum += amount;
    out += spl({
      ...common, ACCNT: text(account), AMOUNT: amt(amount), MEMO: text(description), INVITEM: text(item),
      QNTY: quantity === null ? null : num(isVoid ? '0' : negateDecimal(quantity)), PRICE: priceMinor === null ? null : num(minorToDecimalString(priceMinor, inv.currency)),
    });
  };
  const taxByRate = new Map<string, number>();
  inv.lineItems.forEach((l, i) => {
    const t = inv.totals.lines[i]!;
    split(IIF_ACCOUNTS.income, l.sku || l.name, l.description ? `${l.name}: ${l.description}` : l.name, -lineAmount(l.quantity, l.unitPrice), l.quantity, l.unitPrice);
    if (t.discountAmount > 0) split(IIF_ACCOUNTS.income, 'Discount', `Discount: ${l.name}`, t.discountAmount, null, null);
    if (t.taxAmount !== 0 && l.taxRate !== null) taxByRate.set(l.taxRate, (taxByRate.get(l.taxRate) ?? 0) + t.taxAmount);
  });
  const adjustments = inv.adjustments.map((adj, k) => ({ adj, amount: inv.totals.adjustments[k]!.amount })).filter((a) => a.amount !== 0);
  for (const { adj, amount } of adjustments) {
    if (adj.kind === 'discount') split(IIF_ACCOUNTS.income, 'Discount', adjustmentLabel(adj), amount, null, null);
    else if (adj.kind === 'fee') split(IIF_ACCOUNTS.income, 'Fee', adjustmentLabel(adj), -amount, null, null);
  }
  for (const [rate, amount] of taxByRate) split(IIF_ACCOUNTS.salesTax, 'Sales Tax', `Sales tax ${rate}%`, -amount, null, null);
  for (const { adj, amount } of adjustments) if (adj.kind === 'tax') split(IIF_ACCOUNTS.salesTax, 'Sales Tax', adjustmentLabel(adj), -amount, null, null);
  if (sum !== 0) throw notReconciled(inv, 'splits', inv.totals.total, inv.totals.total - sum, inv.currency);
  out += ENDTRNS;
  let paid = 0;
  for (const p of payments) {
    paid += p.amount;
    const pay: Row = { TRNSTYPE: text('PAYMENT'), DATE: text(formatDate(p.receivedOn, 'MM/DD/YYYY')), NAME: common.NAME, DOCNUM: text(p.reference || inv.number), MEMO: text(`Payment for ${inv.number ?? inv.id} (${p.method})`) };
    const money = (minor: number): Cell => num(minorToDecimalString(minor, inv.currency));
    out += trns({ ...pay, ACCNT: text(IIF_ACCOUNTS.undeposited), AMOUNT: money(p.amount) });
    out += spl({ ...pay, ACCNT: text(IIF_ACCOUNTS.receivable), AMOUNT: money(-p.amount) });
    out += ENDTRNS;
  }
  if (paid !== inv.amountPaid) throw notReconciled(inv, 'payments', inv.amountPaid, paid, inv.currency);
  return out;
}
