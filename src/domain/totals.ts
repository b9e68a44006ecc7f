/**
 * Invoice totals engine.
 *
 * Rounding rule `line_half_away_from_zero` (stored with every invoice so it can be recomputed):
 * all amounts are integers in the minor unit of the invoice currency; every multiplication by a
 * quantity or a percentage is rounded ONCE, to the minor unit, half away from zero, at the
 * level of the line (or fee) it applies to. Sums are never rounded again, so the printed
 * parts always add up to the printed total.
 *
 * 1. gross_i = round(quantity_i x unitPrice_i)
 * 2. line discount: percent -> round(gross_i x p / 100); amount -> v (v > gross_i is an error).
 *    amount_i = gross_i - discountAmount_i
 * 3. invoice discounts (kind 'discount'), in array order: base = sum(amount_i) - earlier invoice
 *    discounts; percent -> round(base x p / 100); amount -> v (v > base is an error). Each one
 *    is allocated over the lines in proportion to what is still taxable on each line
 *    (largest remainder, ties to the lower index): shares sum exactly to the discount and never
 *    exceed what remains on a line. taxableAmount_i = amount_i - invoiceDiscountShare_i.
 * 4. fees (kind 'fee'), in order: percent -> round(discountedBase x p / 100) where
 *    discountedBase = sum(amount_i) - all invoice discounts; amount -> v.
 * 5. taxes: taxAmount_i = round(taxableAmount_i x taxRate_i / 100). Invoice taxes (kind 'tax'):
 *    percent -> sum_i round(taxableAmount_i x p / 100) + sum_f round(fee_f x p / 100);
 *    amount -> v.
 * subtotal = sum(gross); discountTotal = sum(line discounts) + invoice discounts;
 * feeTotal = sum(fees); taxTotal = sum(line taxes) + invoice taxes;
 * total = subtotal - discountTotal + feeTotal + taxTotal.
 *
 * Percentages are decimal strings in 0..100; 'amount' values are strings of non-negative
 * integers in minor units ("500" = 5.00 USD). Arithmetic is BigInt; every amount that leaves
 * the engine must be a safe integer.
 */
import { DomainError, invalidField, type FieldIssue } from './errors.js';
import { allocateLargestRemainder } from './money/allocate.js';
import { currencyExponent } from './money/currencies.js';
import { parseDecimal, type Decimal } from './money/decimal.js';
import { parseMinorUnits } from './money/format.js';
import { multiplyByDecimal, percentOf, toSafeNumber } from './money/rounding.js';

/** Name of the rounding rule implemented here; persisted next to computed totals. */
export const ROUNDING_RULE = 'line_half_away_from_zero';

/** A discount on one line: a percentage of the line or a fixed amount in minor units. */
export type DiscountInput = { type: 'percent' | 'amount'; value: string };

/** One invoice line as received from the API. */
export interface LineInput {
  /** Decimal string > 0, e.g. "1.5". */
  quantity: string;
  /** Price of one unit in minor units of the invoice currency. */
  unitPrice: number;
  discount?: DiscountInput | null;
  /** Percentage 0..100 as a decimal string, e.g. "21". */
  taxRate?: string | null;
}

/** An invoice-level discount, fee or tax. */
export interface AdjustmentInput {
  kind: 'discount' | 'fee' | 'tax';
  type: 'percent' | 'amount';
  value: string;
}

/** Everything needed to compute an invoice's totals. */
export interface TotalsInput {
  currency: string;
  lines: LineInput[];
  adjustments: AdjustmentInput[];
}

/** Computed amounts of one line, in minor units. */
export interface LineTotals {
  gross: number;
  discountAmount: number;
  amount: number;
  invoiceDiscountShare: number;
  taxableAmount: number;
  taxAmount: number;
}

/** What one adjustment contributes, in minor units (always >= 0; its kind gives the sign). */
export interface AdjustmentTotals {
  amount: number;
}

/** Result of {@link computeTotals}; arrays follow the order of the input. */
export interface InvoiceTotals {
  lines: LineTotals[];
  adjustments: AdjustmentTotals[];
  subtotal: number;
  discountTotal: number;
  feeTotal: number;
  taxTotal: number;
  total: number;
  roundingRule: typeof ROUNDING_RULE;
}

type Charge = { type: 'percent'; percent: Decimal } | { type: 'amount'; amount: bigint };

interface ParsedLine {
  gross: bigint;
  discount: bigint;
  taxRate: Decimal | null;
}

interface ParsedAdjustment {
  kind: AdjustmentInput['kind'];
  charge: Charge;
}

const KINDS: ReadonlySet<string> = new Set(['discount', 'fee', 'tax']);

/**
 * Computes line and invoice totals with the `line_half_away_from_zero` rule described above.
 * Input validation errors are collected (currency, every line, every adjustment) and thrown
 * together; errors that depend on earlier results (an invoice discount over its base,
 * overflows of sums) are thrown as soon as they are found.
 * @throws DomainError `validation_failed` whose details hold one {path, message} per problem,
 * with paths in API terms (`lineItems[2].quantity`, `adjustments[0].value`, `total`).
 */
export function computeTotals(input: TotalsInput): InvoiceTotals {
  const issues: FieldIssue[] = [];
  collect(issues, () => currencyExponent(input.currency));
  const lineInputs = arrayOrIssue(input.lines, 'lineItems', issues);
  const adjustmentInputs = arrayOrIssue(input.adjustments, 'adjustments', issues);
  const lines = lineInputs.map((line, i) => collect(issues, () => parseLine(line, `lineItems[${i}]`)));
  const adjustments = adjustmentInputs.map((adj, k) => collect(issues, () => parseAdjustment(adj, `adjustments[${k}]`)));
  if (issues.length > 0) throw validationFailed(issues);
  // Every entry parsed when no issue was recorded; the filters only narrow the types.
  return compute(lines.filter(isDefined), adjustments.filter(isDefined));
}

function compute(lines: ParsedLine[], adjustments: ParsedAdjustment[]): InvoiceTotals {
  const amounts = lines.map((line) => line.gross - line.discount);
  const subtotal = sum(lines.map((line) => line.gross));
  toSafeNumber(subtotal, 'total');

  // Step 3: invoice discounts eat into what is still taxable on each line, in array order.
  const remaining = [...amounts];
  const shares = lines.map(() => 0n);
  const adjustmentAmounts: bigint[] = adjustments.map(() => 0n);
  adjustments.forEach((adj, k) => {
    if (adj.kind !== 'discount') return;
    const base = sum(remaining);
    const discount = chargeAmount(adj.charge, base);
    if (discount > base) {
      throw invalidField(`adjustments[${k}].value`, 'discount larger than the remaining invoice amount');
    }
    allocateLargestRemainder(discount, remaining).forEach((share, i) => {
      remaining[i] = (remaining[i] ?? 0n) - share;
      shares[i] = (shares[i] ?? 0n) + share;
    });
    adjustmentAmounts[k] = discount;
  });

  // Step 4: fees see the base after all invoice discounts, wherever they sit in the array.
  const discountedBase = sum(remaining);
  const fees: bigint[] = [];
  adjustments.forEach((adj, k) => {
    if (adj.kind !== 'fee') return;
    const fee = chargeAmount(adj.charge, discountedBase);
    toSafeNumber(fee, `adjustments[${k}]`);
    adjustmentAmounts[k] = fee;
    fees.push(fee);
  });

  // Step 5: taxes are rounded per line and per fee, never on a sum.
  const lineTaxes = lines.map((line, i) => {
    const rate = line.taxRate;
    return rate === null ? 0n : percentOf(remaining[i] ?? 0n, rate);
  });
  adjustments.forEach((adj, k) => {
    if (adj.kind !== 'tax') return;
    const { charge } = adj;
    const tax =
      charge.type === 'amount'
        ? charge.amount
        : sum(remaining.map((taxable) => percentOf(taxable, charge.percent))) + sum(fees.map((fee) => percentOf(fee, charge.percent)));
    toSafeNumber(tax, `adjustments[${k}]`);
    adjustmentAmounts[k] = tax;
  });

  const ofKind = (kind: AdjustmentInput['kind']): bigint => sum(adjustmentAmounts.filter((_, k) => adjustments[k]?.kind === kind));
  const discountTotal = sum(lines.map((line) => line.discount)) + ofKind('discount');
  const feeTotal = ofKind('fee');
  const taxTotal = sum(lineTaxes) + ofKind('tax');
  const total = subtotal - discountTotal + feeTotal + taxTotal;
  // Cannot happen with validated input (discounts are capped by their base); kept as a guard
  // so a future rule change cannot silently produce a negative invoice.
  if (total < 0n) throw invalidField('total', 'total must not be negative');

  return {
    lines: lines.map((line, i) => ({
      gross: toSafeNumber(line.gross, `lineItems[${i}]`),
      discountAmount: toSafeNumber(line.discount, `lineItems[${i}]`),
      amount: toSafeNumber(amounts[i] ?? 0n, `lineItems[${i}]`),
      invoiceDiscountShare: toSafeNumber(shares[i] ?? 0n, `lineItems[${i}]`),
      taxableAmount: toSafeNumber(remaining[i] ?? 0n, `lineItems[${i}]`),
      taxAmount: toSafeNumber(lineTaxes[i] ?? 0n, `lineItems[${i}]`),
    })),
    adjustments: adjustmentAmounts.map((amount, k) => ({ amount: toSafeNumber(amount, `adjustments[${k}]`) })),
    subtotal: toSafeNumber(subtotal, 'total'),
    discountTotal: toSafeNumber(discountTotal, 'total'),
    feeTotal: toSafeNumber(feeTotal, 'total'),
    taxTotal: toSafeNumber(taxTotal, 'total'),
    total: toSafeNumber(total, 'total'),
    roundingRule: ROUNDING_RULE,
  };
}

function parseLine(line: LineInput, path: string): ParsedLine {
  if (typeof line !== 'object' || line === null) throw invalidField(path, 'must be an object');
  const issues: FieldIssue[] = [];
  const { discount: discountInput, taxRate: taxRateInput } = line;
  const quantity = collect(issues, () => parseDecimal(line.quantity, `${path}.quantity`, { greaterThan: 0 }));
  const unitPrice = collect(issues, () => parseUnitPrice(line.unitPrice, `${path}.unitPrice`));
  const discount = discountInput == null ? null : collect(issues, () => parseCharge(discountInput, `${path}.discount`));
  const taxRate = taxRateInput == null ? null : collect(issues, () => parsePercent(taxRateInput, `${path}.taxRate`));
  if (quantity === undefined || unitPrice === undefined || discount === undefined || taxRate === undefined) {
    throw validationFailed(issues);
  }
  const gross = multiplyByDecimal(unitPrice, quantity);
  toSafeNumber(gross, path);
  const discountAmount = discount === null ? 0n : chargeAmount(discount, gross);
  if (discountAmount > gross) {
    throw invalidField(`${path}.discount.value`, 'discount larger than the line amount');
  }
  return { gross, discount: discountAmount, taxRate };
}

function parseAdjustment(adj: AdjustmentInput, path: string): ParsedAdjustment {
  if (typeof adj !== 'object' || adj === null) throw invalidField(path, 'must be an object');
  if (!KINDS.has(adj.kind)) throw invalidField(`${path}.kind`, 'must be "discount", "fee" or "tax"');
  return { kind: adj.kind, charge: parseCharge(adj, path) };
}

function parseCharge(input: { type: string; value: string }, path: string): Charge {
  if (typeof input !== 'object' || input === null) throw invalidField(path, 'must be an object');
  if (input.type === 'percent') return { type: 'percent', percent: parsePercent(input.value, `${path}.value`) };
  if (input.type === 'amount') return { type: 'amount', amount: parseMinorUnits(input.value, `${path}.value`) };
  throw invalidField(`${path}.type`, 'must be "percent" or "amount"');
}

function parsePercent(text: string, path: string): Decimal {
  return parseDecimal(text, path, { max: 100 });
}

function parseUnitPrice(value: number, path: string): bigint {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidField(path, 'must be a whole number of minor units between 0 and 9007199254740991');
  }
  return BigInt(value);
}

function chargeAmount(charge: Charge, base: bigint): bigint {
  return charge.type === 'percent' ? percentOf(base, charge.percent) : charge.amount;
}

/** Runs `fn`; a DomainError becomes recorded issues instead of aborting the whole validation. */
function collect<T>(issues: FieldIssue[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    issues.push(...err.details);
    return undefined;
  }
}

function arrayOrIssue<T>(value: T[], path: string, issues: FieldIssue[]): T[] {
  if (Array.isArray(value)) return value;
  issues.push({ path, message: 'must be an array' });
  return [];
}

function validationFailed(issues: FieldIssue[]): DomainError {
  const [first] = issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  const message = first === undefined ? 'invalid input' : `${first.path}: ${first.message}${more}`;
  return new DomainError('validation_failed', message, issues);
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((acc, value) => acc + value, 0n);
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
