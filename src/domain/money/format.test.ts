import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalStringToMinor, minorToDecimalString, parseMinorUnits } from './format.js';
import { expectFieldError } from './test-helpers.js';

describe('minorToDecimalString', () => {
  it.each([
    [12345, 'USD', '123.45'],
    [5, 'USD', '0.05'],
    [100, 'USD', '1.00'],
    [0, 'USD', '0.00'],
    [-5, 'USD', '-0.05'],
    [-12345, 'EUR', '-123.45'],
    [500, 'JPY', '500'],
    [-500, 'JPY', '-500'],
    [1234, 'KWD', '1.234'],
    [1, 'KWD', '0.001'],
    [12345, 'CLF', '1.2345'],
    [Number.MAX_SAFE_INTEGER, 'USD', '90071992547409.91'],
    [Number.MIN_SAFE_INTEGER, 'USD', '-90071992547409.91'],
  ])('%i %s -> %s', (amount, currency, expected) => {
    expect(minorToDecimalString(amount, currency)).toBe(expected);
  });

  it('rejects non-integer amounts and unknown currencies', () => {
    expect(() => minorToDecimalString(1.5, 'USD')).toThrow(RangeError);
    expect(() => minorToDecimalString(Number.MAX_SAFE_INTEGER + 1, 'USD')).toThrow(RangeError);
    expect(() => minorToDecimalString(Number.NaN, 'USD')).toThrow(RangeError);
    expectFieldError(() => minorToDecimalString(1, 'usd'), 'currency');
  });
});

describe('decimalStringToMinor', () => {
  it.each([
    ['1234.5', 'USD', 123450],
    ['1234.50', 'USD', 123450],
    ['1234', 'USD', 123400],
    ['0.1', 'USD', 10],
    ['0.005', 'USD', 1], // tie rounds away from zero
    ['0.0049999', 'USD', 0],
    ['0.015', 'USD', 2],
    ['1234.5', 'JPY', 1235],
    ['1234.4', 'JPY', 1234],
    ['1.2345', 'KWD', 1235],
    ['1.2344', 'KWD', 1234],
    ['1.23456', 'CLF', 12346],
    ['0', 'EUR', 0],
  ])('%s %s -> %i', (text, currency, expected) => {
    expect(decimalStringToMinor(text, currency, 'amount')).toBe(expected);
  });

  it('accepts negatives only when asked, rounding them away from zero', () => {
    expect(decimalStringToMinor('-0.005', 'USD', 'amount', { allowNegative: true })).toBe(-1);
    expect(decimalStringToMinor('-1234.5', 'JPY', 'amount', { allowNegative: true })).toBe(-1235);
    expectFieldError(() => decimalStringToMinor('-1', 'USD', 'amount'), 'amount', 'must not be negative');
  });

  it('rejects malformed text at the given path', () => {
    for (const text of ['1e3', 'abc', '', ' 1', '1.', '.5', '1,5', 'Infinity']) {
      expectFieldError(() => decimalStringToMinor(text, 'USD', 'properties.amount'), 'properties.amount', /decimal string/);
    }
  });

  it('rejects unknown currencies and results beyond the safe range', () => {
    expectFieldError(() => decimalStringToMinor('1', 'ABC', 'amount'), 'currency');
    expectFieldError(() => decimalStringToMinor('999999999999999', 'CLF', 'amount'), 'amount', 'amount out of range');
    expect(decimalStringToMinor('90071992547409.91', 'USD', 'amount')).toBe(Number.MAX_SAFE_INTEGER);
    expectFieldError(() => decimalStringToMinor('90071992547409.92', 'USD', 'amount'), 'amount', 'amount out of range');
  });

  it('converts the largest safe amounts of a zero-exponent currency (16 digits)', () => {
    expect(decimalStringToMinor('-1000000000000000', 'JPY', 'amount', { allowNegative: true })).toBe(-1e15);
    expect(decimalStringToMinor('9007199254740991', 'JPY', 'amount')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => decimalStringToMinor('9007199254740992', 'JPY', 'amount')).toThrow(/out of range/);
  });

  it('is the inverse of minorToDecimalString', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom('USD', 'JPY', 'KWD', 'CLF'),
        (amount, currency) => {
          const text = minorToDecimalString(amount, currency);
          expect(decimalStringToMinor(text, currency, 'amount', { allowNegative: true })).toBe(amount);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parseMinorUnits', () => {
  it('parses whole minor-unit strings', () => {
    expect(parseMinorUnits('0', 'v')).toBe(0n);
    expect(parseMinorUnits('500', 'v')).toBe(500n);
    expect(parseMinorUnits('9007199254740991', 'v')).toBe(9007199254740991n);
  });

  it.each(['5.00', '-5', '05', '', ' 5', '1e3', 'abc', '+5'])('rejects %j', (text) => {
    expectFieldError(() => parseMinorUnits(text, 'v'), 'v', /whole number of minor units/);
  });

  it('rejects numbers and values past MAX_SAFE_INTEGER', () => {
    expectFieldError(() => parseMinorUnits(500 as unknown as string, 'v'), 'v', /whole number/);
    expectFieldError(() => parseMinorUnits('9007199254740992', 'v'), 'v', 'amount out of range');
  });
});
