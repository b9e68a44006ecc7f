import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDecimalToInteger, compareDecimals, formatDecimal, normalizeDecimal, parseDecimal, pow10, type Decimal } from './decimal.js';
import { expectFieldError } from './test-helpers.js';

const d = (units: bigint, scale: number): Decimal => ({ units, scale });

describe('parseDecimal', () => {
  it.each([
    ['1', d(1n, 0)],
    ['0', d(0n, 0)],
    ['1.5', d(15n, 1)],
    ['1.50', d(15n, 1)], // trailing zeros are normalised away
    ['10', d(10n, 0)],
    ['100.000', d(100n, 0)],
    ['0.333333', d(333333n, 6)],
    ['0.0000000001', d(1n, 10)],
    ['123456789012345', d(123456789012345n, 0)],
    ['999999999999999.9999999999', d(9999999999999999999999999n, 10)],
  ])('parses %j', (text, expected) => {
    expect(parseDecimal(text, 'q')).toEqual(expected);
  });

  it('parses negatives only when allowed', () => {
    expect(parseDecimal('-2', 'q', { allowNegative: true })).toEqual(d(-2n, 0));
    expect(parseDecimal('-0.25', 'q', { allowNegative: true })).toEqual(d(-25n, 2));
    expect(parseDecimal('-0', 'q', { allowNegative: true })).toEqual(d(0n, 0));
    expectFieldError(() => parseDecimal('-2', 'q'), 'q', 'must not be negative');
    expectFieldError(() => parseDecimal('-0', 'q'), 'q', 'must not be negative');
  });

  it.each([
    '1e3',
    '1E3',
    ' 1',
    '1 ',
    '',
    '1.',
    '.5',
    '0x10',
    'Infinity',
    '-Infinity',
    'NaN',
    '+1',
    '1,5',
    '1.2.3',
    '01',
    '00.5',
    '--1',
    '-',
    '١',
    '1_000',
    '½',
    '0b1',
    '1\n',
  ])('rejects %j with a format message', (text) => {
    expectFieldError(() => parseDecimal(text, 'lineItems[0].quantity'), 'lineItems[0].quantity', 'must be a decimal string like "1.5"');
  });

  it('rejects non-strings that slip past the type system', () => {
    for (const value of [1.5, null, undefined, {}, 10n]) {
      expectFieldError(() => parseDecimal(value as unknown as string, 'q'), 'q', /decimal string/);
    }
  });

  it('limits fractional digits (default 10, configurable)', () => {
    expectFieldError(() => parseDecimal('0.00000000001', 'q'), 'q', 'must have at most 10 decimal places');
    expect(parseDecimal('0.123', 'q', { maxScale: 3 })).toEqual(d(123n, 3));
    expectFieldError(() => parseDecimal('0.1234', 'q', { maxScale: 3 }), 'q', 'must have at most 3 decimal places');
    // Written digits count, even zeros: the limit is about the input, not its value.
    expectFieldError(() => parseDecimal('1.00000000000', 'q'), 'q', /decimal places/);
  });

  it('limits integer digits to 15', () => {
    expectFieldError(() => parseDecimal('1234567890123456', 'q'), 'q', 'must have at most 15 digits before the decimal point');
  });

  it('checks integer bounds exactly', () => {
    const quantity = { greaterThan: 0 };
    expectFieldError(() => parseDecimal('0', 'q', quantity), 'q', 'must be greater than 0');
    expectFieldError(() => parseDecimal('0.000', 'q', quantity), 'q', 'must be greater than 0');
    expect(parseDecimal('0.0000000001', 'q', quantity)).toEqual(d(1n, 10));
    const percent = { max: 100 };
    expect(parseDecimal('100', 'p', percent)).toEqual(d(100n, 0));
    expect(parseDecimal('100.0000', 'p', percent)).toEqual(d(100n, 0));
    expectFieldError(() => parseDecimal('100.0000000001', 'p', percent), 'p', 'must be at most 100');
    expectFieldError(() => parseDecimal('-1', 'p', { allowNegative: true, min: 0n }), 'p', 'must be at least 0');
    expect(parseDecimal('-1', 'p', { allowNegative: true, min: -1 })).toEqual(d(-1n, 0));
  });
});

describe('formatDecimal', () => {
  it.each([
    [d(15n, 1), '1.5'],
    [d(150n, 2), '1.5'],
    [d(100n, 2), '1'],
    [d(0n, 5), '0'],
    [d(-0n, 0), '0'],
    [d(5n, 3), '0.005'],
    [d(-5n, 3), '-0.005'],
    [d(-12345n, 2), '-123.45'],
    [d(1n, 10), '0.0000000001'],
    [d(42n, 0), '42'],
  ])('%o -> %s', (value, expected) => {
    expect(formatDecimal(value)).toBe(expected);
  });

  it('round-trips decimals through text', () => {
    // At most 15 integer digits whatever the scale, like the parser allows.
    const decimal = fc.integer({ min: 0, max: 10 }).chain((scale) =>
      fc.record({
        units: fc.bigInt({ min: -(10n ** BigInt(15 + scale)) + 1n, max: 10n ** BigInt(15 + scale) - 1n }),
        scale: fc.constant(scale),
      }),
    );
    fc.assert(
      fc.property(decimal, (value) => {
        const text = formatDecimal(value);
        expect(parseDecimal(text, 'x', { allowNegative: true })).toEqual(normalizeDecimal(value));
        expect(compareDecimals(parseDecimal(text, 'x', { allowNegative: true }), value)).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips text through decimals up to trailing zeros', () => {
    const text = fc
      .tuple(fc.boolean(), fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,14}$/)), fc.stringMatching(/^[0-9]{0,10}$/))
      .map(([negative, integer, fraction]) => `${negative ? '-' : ''}${integer}${fraction ? `.${fraction}` : ''}`);
    fc.assert(
      fc.property(text, (input) => {
        const canonical = input
          .replace(/(\.[0-9]*?)0+$/, '$1')
          .replace(/\.$/, '')
          .replace(/^-0$/, '0');
        expect(formatDecimal(parseDecimal(input, 'x', { allowNegative: true }))).toBe(canonical);
      }),
      { numRuns: 500 },
    );
  });
});

describe('comparisons', () => {
  it('compares decimals of different scales exactly', () => {
    expect(compareDecimals(d(15n, 1), d(150n, 2))).toBe(0);
    expect(compareDecimals(d(1n, 10), d(0n, 0))).toBe(1);
    expect(compareDecimals(d(-1n, 10), d(0n, 0))).toBe(-1);
    expect(compareDecimals(d(99999n, 3), d(100n, 0))).toBe(-1);
  });

  it('compares with integer bounds', () => {
    expect(compareDecimalToInteger(d(1000000001n, 7), 100)).toBe(1);
    expect(compareDecimalToInteger(d(100n, 0), 100n)).toBe(0);
    expect(compareDecimalToInteger(d(-5n, 1), 0)).toBe(-1);
    expect(() => compareDecimalToInteger(d(1n, 0), 0.5)).toThrow(RangeError);
  });

  it('pow10 is exact and guarded', () => {
    expect(pow10(0)).toBe(1n);
    expect(pow10(20)).toBe(100000000000000000000n);
    expect(() => pow10(-1)).toThrow(RangeError);
    expect(() => pow10(1.5)).toThrow(RangeError);
  });
});
