import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { parseDecimal } from './money/decimal.js';
import { expectFieldError } from './money/test-helpers.js';
import { ROUNDING_RULE, computeTotals, type AdjustmentInput, type InvoiceTotals, type LineInput, type LineTotals, type TotalsInput } from './totals.js';

type Charge = { type: 'percent' | 'amount'; value: string };
const line = (quantity: string, unitPrice: number, extra: Partial<LineInput> = {}): LineInput => ({ quantity, unitPrice, ...extra });
const pct = (value: string): Charge => ({ type: 'percent', value });
const amt = (value: string): Charge => ({ type: 'amount', value });
const adj = (kind: AdjustmentInput['kind'], charge: Charge): AdjustmentInput => ({ kind, ...charge });
const invoice = (currency: string, lines: LineInput[], adjustments: AdjustmentInput[] = []): TotalsInput => ({ currency, lines, adjustments });
/** Expected line: gross, discountAmount, amount, invoiceDiscountShare, taxableAmount, taxAmount. */
const lt = (...v: [number, number, number, number, number, number]): LineTotals => ({
  gross: v[0],
  discountAmount: v[1],
  amount: v[2],
  invoiceDiscountShare: v[3],
  taxableAmount: v[4],
  taxAmount: v[5],
});
type Sums = Pick<InvoiceTotals, 'subtotal' | 'discountTotal' | 'feeTotal' | 'taxTotal' | 'total'>;
const sums = (subtotal: number, discountTotal: number, feeTotal: number, taxTotal: number, total: number): Sums => ({
  subtotal,
  discountTotal,
  feeTotal,
  taxTotal,
  total,
});

interface Case {
  name: string;
  input: TotalsInput;
  lines: LineTotals[];
  adjustments?: number[];
  sums: Sums;
}

const cases: Case[] = [
  {
    // 2 x 1999 = 3998 (no tax); 1 x 500 with 8.25% = 41.25 -> 41. total 3998 + 500 + 41 = 4539.
    name: 'USD basic',
    input: invoice('USD', [line('2', 1999), line('1', 500, { taxRate: '8.25' })]),
    lines: [lt(3998, 0, 3998, 0, 3998, 0), lt(500, 0, 500, 0, 500, 41)],
    sums: sums(4498, 0, 0, 41, 4539),
  },
  {
    // 1.5 x 10000 = 15000; 10% = 1500 -> 13500; 21% of 13500 = 2835; 15000 - 1500 + 2835 = 16335.
    name: 'brief example: 1.5 x 10000, 10% line discount, 21% tax',
    input: invoice('EUR', [line('1.5', 10000, { discount: pct('10'), taxRate: '21' })]),
    lines: [lt(15000, 1500, 13500, 0, 13500, 2835)],
    sums: sums(15000, 1500, 0, 2835, 16335),
  },
  {
    // JPY has no minor unit: 3 x 333 = 999 yen; 10% = 99.9 -> 100; total 1099.
    name: 'JPY (exponent 0)',
    input: invoice('JPY', [line('3', 333, { taxRate: '10' })]),
    lines: [lt(999, 0, 999, 0, 999, 100)],
    sums: sums(999, 0, 0, 100, 1099),
  },
  {
    // 2.5 x 1.234 KWD = 3085 fils; 7.5% = 231.375 -> 231 -> 2854; 5% = 142.7 -> 143; total 2997.
    name: 'KWD (exponent 3)',
    input: invoice('KWD', [line('2.5', 1234, { discount: pct('7.5'), taxRate: '5' })]),
    lines: [lt(3085, 231, 2854, 0, 2854, 143)],
    sums: sums(3085, 231, 0, 143, 2997),
  },
  {
    // 0.333333 x 100 = 33.3333 -> 33.
    name: 'fractional quantity 0.333333',
    input: invoice('USD', [line('0.333333', 100)]),
    lines: [lt(33, 0, 33, 0, 33, 0)],
    sums: sums(33, 0, 0, 0, 33),
  },
  {
    // Quantities sum to exactly 1, but each line rounds on its own: 33.3333, 33.3333, 33.3334 -> 33 each,
    // so the invoice says 99, not 1 x 100 = 100. That is the documented rule, not a bug.
    name: 'three thirds are rounded per line',
    input: invoice('USD', [line('0.333333', 100), line('0.333333', 100), line('0.333334', 100)]),
    lines: [lt(33, 0, 33, 0, 33, 0), lt(33, 0, 33, 0, 33, 0), lt(33, 0, 33, 0, 33, 0)],
    sums: sums(99, 0, 0, 0, 99),
  },
  {
    // 3 x 1000 = 3000, 100% off -> 0; tax on 0 is 0.
    name: '100% line discount',
    input: invoice('USD', [line('3', 1000, { discount: pct('100'), taxRate: '20' })]),
    lines: [lt(3000, 3000, 0, 0, 0, 0)],
    sums: sums(3000, 3000, 0, 0, 0),
  },
  {
    // base 1000 + 2000 = 3000, 100% -> 3000, allocated exactly 1000 / 2000; nothing left to tax.
    name: '100% invoice discount',
    input: invoice('USD', [line('1', 1000, { taxRate: '10' }), line('1', 2000, { taxRate: '10' })], [adj('discount', pct('100'))]),
    lines: [lt(1000, 0, 1000, 1000, 0, 0), lt(2000, 0, 2000, 2000, 0, 0)],
    adjustments: [3000],
    sums: sums(3000, 3000, 0, 0, 0),
  },
  {
    // A fixed discount equal to the line is allowed: 2500 - 2500 = 0; the other line stays 100.
    name: 'amount discount equal to the line',
    input: invoice('USD', [line('1', 2500, { discount: amt('2500') }), line('1', 100)]),
    lines: [lt(2500, 2500, 0, 0, 0, 0), lt(100, 0, 100, 0, 100, 0)],
    sums: sums(2600, 2500, 0, 0, 100),
  },
  {
    // Each line: 0.5 x 1 cent = 0.5 -> 1; 10% of 1 = 0.1 -> 0. Per line: 7 + 0 = 7.
    // Rounding the sum instead would give 3.5 -> 4 and 0.35 -> 0.
    name: '7 lines of 0.5 x 1 cent with 10% tax',
    input: invoice(
      'USD',
      Array.from({ length: 7 }, () => line('0.5', 1, { taxRate: '10' })),
    ),
    lines: Array.from({ length: 7 }, () => lt(1, 0, 1, 0, 1, 0)),
    sums: sums(7, 0, 0, 0, 7),
  },
  {
    // Each line: 10% of 5 = 0.5 -> 1, so tax is 7; on the sum it would be 10% of 35 = 3.5 -> 4.
    name: '7 lines of 5 cents with 10% tax',
    input: invoice(
      'USD',
      Array.from({ length: 7 }, () => line('1', 5, { taxRate: '10' })),
    ),
    lines: Array.from({ length: 7 }, () => lt(5, 0, 5, 0, 5, 1)),
    sums: sums(35, 0, 0, 7, 42),
  },
  {
    // 100 over three equal lines: 33.33 each, floors 33 + 33 + 33 = 99, the last cent goes to
    // line 0 (tie -> lower index): 34/33/33. Taxable 966/967/967; 10% = 96.6/96.7/96.7 -> 97 each.
    // total 3000 - 100 + 291 = 3191.
    name: 'invoice discount, largest remainder with ties',
    input: invoice(
      'USD',
      [1, 2, 3].map(() => line('1', 1000, { taxRate: '10' })),
      [adj('discount', amt('100'))],
    ),
    lines: [lt(1000, 0, 1000, 34, 966, 97), lt(1000, 0, 1000, 33, 967, 97), lt(1000, 0, 1000, 33, 967, 97)],
    adjustments: [100],
    sums: sums(3000, 100, 0, 291, 3191),
  },
  {
    // 7 over 1000/2000/3000: exact 1.1667, 2.3333, 3.5 -> floors 1, 2, 3 (sum 6); the largest
    // remainder is line 2 (0.5), so it gets the leftover unit: 1/2/4.
    name: 'invoice discount, largest remainder goes to the largest fraction',
    input: invoice('USD', [line('1', 1000), line('1', 2000), line('1', 3000)], [adj('discount', amt('7'))]),
    lines: [lt(1000, 0, 1000, 1, 999, 0), lt(2000, 0, 2000, 2, 1998, 0), lt(3000, 0, 3000, 4, 2996, 0)],
    adjustments: [7],
    sums: sums(6000, 7, 0, 0, 5993),
  },
  {
    // 1000 over 1000/3000 -> 250/750, leaving 750/2250. Then 10% of base 3000 = 300 -> 75/225.
    name: 'sequential invoice discounts',
    input: invoice('USD', [line('1', 1000), line('1', 3000)], [adj('discount', amt('1000')), adj('discount', pct('10'))]),
    lines: [lt(1000, 0, 1000, 325, 675, 0), lt(3000, 0, 3000, 975, 2025, 0)],
    adjustments: [1000, 300],
    sums: sums(4000, 1300, 0, 0, 2700),
  },
  {
    // 10000 - 10% = 9000; invoice discount 10% of 9000 = 900 -> taxable 8100. The percent fee comes
    // first in the array but still uses the discounted base: 2.5% of 8100 = 202.5 -> 203; plus 500.
    // Line tax 20% of 8100 = 1620. total 10000 - 1900 + 703 + 1620 = 10423.
    name: 'percent and amount fees',
    input: invoice(
      'USD',
      [line('1', 10000, { discount: pct('10'), taxRate: '20' })],
      [adj('fee', pct('2.5')), adj('discount', pct('10')), adj('fee', amt('500'))],
    ),
    lines: [lt(10000, 1000, 9000, 900, 8100, 1620)],
    adjustments: [203, 900, 500],
    sums: sums(10000, 1900, 703, 1620, 10423),
  },
  {
    // Invoice tax 10%, rounded per line and per fee: 100.5 -> 101, 200.5 -> 201, 33.3 -> 33 = 335
    // (10% of the sum 3343 would be 334). Plus a fixed tax of 100. total 3010 + 333 + 435 = 3778.
    name: 'invoice-level tax on lines and fees',
    input: invoice('USD', [line('1', 1005), line('1', 2005)], [adj('fee', amt('333')), adj('tax', pct('10')), adj('tax', amt('100'))]),
    lines: [lt(1005, 0, 1005, 0, 1005, 0), lt(2005, 0, 2005, 0, 2005, 0)],
    adjustments: [333, 335, 100],
    sums: sums(3010, 0, 333, 435, 3778),
  },
  { name: 'zero lines', input: invoice('USD', []), lines: [], sums: sums(0, 0, 0, 0, 0) },
  {
    // A fee alone is allowed: 500, taxed 10% = 50.
    name: 'zero lines with a fee and an invoice tax',
    input: invoice('USD', [], [adj('fee', amt('500')), adj('tax', pct('10'))]),
    lines: [],
    adjustments: [500, 50],
    sums: sums(0, 0, 500, 50, 550),
  },
];

describe('computeTotals: hand-checked cases', () => {
  it.each(cases)('$name', ({ input, lines, adjustments, sums: expected }) => {
    const result = computeTotals(input);
    expect(result.lines).toEqual(lines);
    expect(result.adjustments).toEqual((adjustments ?? []).map((amount) => ({ amount })));
    expect(result).toMatchObject(expected);
    expect(result.roundingRule).toBe(ROUNDING_RULE);
  });
});

describe('computeTotals: errors', () => {
  const MAX = Number.MAX_SAFE_INTEGER;
  const one = (extra: Partial<LineInput> = {}) => invoice('USD', [line('1', 1000, extra)]);
  it.each<[string, TotalsInput, string, (string | RegExp)?]>([
    ['negative unitPrice', one({ unitPrice: -1 }), 'lineItems[0].unitPrice'],
    ['fractional unitPrice', one({ unitPrice: 1.5 }), 'lineItems[0].unitPrice'],
    ['unsafe unitPrice', one({ unitPrice: 2 ** 53 }), 'lineItems[0].unitPrice'],
    ['NaN unitPrice', one({ unitPrice: Number.NaN }), 'lineItems[0].unitPrice'],
    ['string unitPrice', one({ unitPrice: '1000' as unknown as number }), 'lineItems[0].unitPrice'],
    ['quantity "0"', one({ quantity: '0' }), 'lineItems[0].quantity', 'must be greater than 0'],
    ['quantity "-1"', one({ quantity: '-1' }), 'lineItems[0].quantity', 'must not be negative'],
    ['quantity "abc"', one({ quantity: 'abc' }), 'lineItems[0].quantity', 'must be a decimal string like "1.5"'],
    ['quantity "1e3"', one({ quantity: '1e3' }), 'lineItems[0].quantity'],
    ['discount over the line', one({ discount: amt('1001') }), 'lineItems[0].discount.value', 'discount larger than the line amount'],
    ['discount amount with decimals', one({ discount: amt('5.00') }), 'lineItems[0].discount.value', /whole number of minor units/],
    ['discount percent > 100', one({ discount: pct('100.5') }), 'lineItems[0].discount.value', 'must be at most 100'],
    ['discount of unknown type', one({ discount: { type: 'fixed' as 'amount', value: '1' } }), 'lineItems[0].discount.type'],
    ['tax rate > 100', one({ taxRate: '101' }), 'lineItems[0].taxRate', 'must be at most 100'],
    ['negative tax rate', one({ taxRate: '-5' }), 'lineItems[0].taxRate'],
    ['invoice discount over the base', invoice('USD', [line('1', 1000)], [adj('discount', amt('1001'))]), 'adjustments[0].value'],
    [
      'invoice discount over the remaining base',
      invoice('USD', [line('1', 1000)], [adj('discount', pct('50')), adj('discount', amt('501'))]),
      'adjustments[1].value',
    ],
    ['invoice discount without lines', invoice('USD', [], [adj('discount', amt('1'))]), 'adjustments[0].value'],
    ['fee percent > 100', invoice('USD', [line('1', 1000)], [adj('fee', pct('150'))]), 'adjustments[0].value'],
    ['unknown adjustment kind', invoice('USD', [], [{ kind: 'tip' as 'fee', type: 'amount', value: '1' }]), 'adjustments[0].kind'],
    ['unknown currency', invoice('XYZ', []), 'currency', /unknown currency/],
    ['lowercase currency', invoice('usd', []), 'currency'],
    ['line past MAX_SAFE_INTEGER', invoice('USD', [line('2', MAX)]), 'lineItems[0]', 'amount out of range'],
    ['subtotal past MAX_SAFE_INTEGER', invoice('USD', [line('1', MAX), line('1', 1)]), 'total', 'amount out of range'],
    ['total past MAX_SAFE_INTEGER', invoice('USD', [line('1', 1)], [adj('fee', amt(String(MAX)))]), 'total', 'amount out of range'],
    ['amount value past MAX_SAFE_INTEGER', invoice('USD', [], [adj('fee', amt('9007199254740992'))]), 'adjustments[0].value', 'amount out of range'],
  ])('%s', (_name, input, path, message) => {
    expectFieldError(() => computeTotals(input), path, message);
  });

  it('collects the problems of every line and adjustment', () => {
    const input = invoice('XYZ', [line('1', 1), line('x', 1, { taxRate: '200' })], [adj('fee', { type: 'free' as 'amount', value: '1' })]);
    const error = expectFieldError(() => computeTotals(input), 'currency');
    expect(error).toBeInstanceOf(DomainError);
    expect(error.details.map((detail) => detail.path)).toEqual(['currency', 'lineItems[1].quantity', 'lineItems[1].taxRate', 'adjustments[0].type']);
    expect(error.message).toMatch(/^currency: .* \(and 3 more\)$/);
  });
});

/** Builds valid random invoices: amount discounts are derived from amounts the engine can absorb. */
const validInput = fc
  .record({
    currency: fc.constantFrom('USD', 'JPY', 'KWD'),
    lines: fc.array(
      fc.record({
        quantity: fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 999_999 })),
        unitPrice: fc.integer({ min: 0, max: 1e9 }),
        discount: fc.option(fc.tuple(fc.constantFrom('percent' as const, 'amount' as const), fc.integer({ min: 0, max: 10000 }))),
        taxRate: fc.option(fc.integer({ min: 0, max: 10000 })),
      }),
      { maxLength: 30 },
    ),
    adjustments: fc.array(
      fc.tuple(
        fc.constantFrom('discount' as const, 'fee' as const, 'tax' as const),
        fc.constantFrom('percent' as const, 'amount' as const),
        fc.integer({ min: 0, max: 10000 }),
      ),
      { maxLength: 6 },
    ),
  })
  .map(({ currency, lines: rawLines, adjustments: rawAdjustments }): TotalsInput => {
    // Percentages are hundredths (0..10000 -> "0.00".."100.00"); amount discounts take a 0..100% slice
    // (in 1/10000) of what is available, fees and taxes are n x 100 minor units.
    const percent = (hundredths: number) => `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
    const lines = rawLines.map(({ quantity: [whole, micro], unitPrice, discount, taxRate }): LineInput => {
      const quantity = whole === 0 && micro === 0 ? '1' : `${whole}.${String(micro).padStart(6, '0')}`;
      const gross = computeTotals({ currency, lines: [{ quantity, unitPrice }], adjustments: [] }).subtotal;
      const value =
        discount === null ? null : discount[0] === 'percent' ? pct(percent(discount[1])) : amt(String((BigInt(gross) * BigInt(discount[1])) / 10000n));
      return { quantity, unitPrice, discount: value, taxRate: taxRate === null ? null : percent(taxRate) };
    });
    // A conservative lower bound of the base left for invoice discounts keeps amount discounts valid.
    // BigInt because base x 10000 can exceed 2^53.
    let base = computeTotals({ currency, lines, adjustments: [] }).lines.reduce((s, l) => s + BigInt(l.amount), 0n);
    const adjustments = rawAdjustments.map(([kind, type, n]): AdjustmentInput => {
      if (type === 'percent') {
        // The engine rounds a percent discount by at most half a unit, so 1 unit of slack suffices.
        if (kind === 'discount') base = (base * BigInt(10000 - n)) / 10000n - 1n;
        if (base < 0n) base = 0n;
        return adj(kind, pct(percent(n)));
      }
      const value = kind === 'discount' ? (base * BigInt(n)) / 10000n : BigInt(n) * 100n;
      if (kind === 'discount') base -= value;
      return adj(kind, amt(String(value)));
    });
    return { currency, lines, adjustments };
  });

describe('computeTotals: properties', () => {
  const total = (values: number[]) => values.reduce((a, b) => a + b, 0);
  it('the parts always add up exactly', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const result = computeTotals(input);
        const ofKind = (kind: AdjustmentInput['kind']) => total(result.adjustments.filter((_, k) => input.adjustments[k]?.kind === kind).map((a) => a.amount));
        const lineDiscounts = total(result.lines.map((l) => l.discountAmount));
        const invoiceDiscounts = ofKind('discount');
        expect(result.total).toBe(result.subtotal - result.discountTotal + result.feeTotal + result.taxTotal);
        expect(total(result.lines.map((l) => l.amount))).toBe(result.subtotal - lineDiscounts);
        expect(total(result.lines.map((l) => l.invoiceDiscountShare))).toBe(invoiceDiscounts);
        expect(result.discountTotal).toBe(lineDiscounts + invoiceDiscounts);
        expect(result.feeTotal).toBe(ofKind('fee'));
        expect(result.taxTotal).toBe(total(result.lines.map((l) => l.taxAmount)) + ofKind('tax'));
        expect(result.total).toBe(total(result.lines.map((l) => l.amount)) - invoiceDiscounts + result.feeTotal + result.taxTotal);
        expect(result.total).toBeGreaterThanOrEqual(0);
        result.lines.forEach((l, i) => {
          // gross is the exact quantity x unitPrice rounded to the nearest minor unit.
          const source = input.lines[i];
          const q = parseDecimal(source?.quantity ?? '', 'q');
          const error = BigInt(l.gross) * 10n ** BigInt(q.scale) - q.units * BigInt(source?.unitPrice ?? 0);
          expect(2n * (error < 0n ? -error : error) <= 10n ** BigInt(q.scale)).toBe(true);
          expect(l.gross - l.discountAmount).toBe(l.amount);
          expect(l.invoiceDiscountShare).toBeGreaterThanOrEqual(0);
          expect(l.invoiceDiscountShare).toBeLessThanOrEqual(l.amount);
          expect(l.taxableAmount).toBe(l.amount - l.invoiceDiscountShare);
          expect(l.taxAmount).toBeLessThanOrEqual(l.taxableAmount);
        });
        expect(computeTotals(JSON.parse(JSON.stringify(input)) as TotalsInput)).toEqual(result);
      }),
      { numRuns: 300 },
    );
  });
});
