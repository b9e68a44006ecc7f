import { describe, expect, it } from 'vitest';
import { KNOWN_CURRENCIES, currencyExponent, isKnownCurrency } from './currencies.js';
import { expectFieldError } from './test-helpers.js';

describe('currencyExponent', () => {
  const cases: Array<[code: string, exponent: number]> = [
    ...['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX', 'XAF', 'XOF', 'XPF', 'PYG', 'RWF', 'KMF', 'GNF', 'DJF', 'BIF', 'VUV', 'UYI'].map((code): [string, number] => [
      code,
      0,
    ]),
    ...['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD', 'INR', 'BRL', 'MXN', 'XCG', 'ZWG', 'SLE', 'VES', 'VED'].map((code): [string, number] => [code, 2]),
    ...['KWD', 'BHD', 'JOD', 'OMR', 'TND', 'IQD', 'LYD'].map((code): [string, number] => [code, 3]),
    ['CLF', 4],
    ['UYW', 4],
  ];
  it.each(cases)('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
    expect(isKnownCurrency(code)).toBe(true);
  });

  it.each(['usd', 'Usd', 'XYZ', '', 'US', 'USDD', ' USD', 'constructor', '__proto__', 'toString'])('rejects %j at path currency', (code) => {
    expect(isKnownCurrency(code)).toBe(false);
    expectFieldError(() => currencyExponent(code), 'currency', /unknown currency code/);
  });

  it('rejects codes with no defined minor unit and withdrawn codes', () => {
    for (const code of ['XAU', 'XAG', 'XDR', 'XTS', 'XXX', 'ANG', 'HRK', 'CUC', 'SLL', 'ZWL', 'BGN']) {
      expect(isKnownCurrency(code)).toBe(false);
    }
  });

  it('rejects non-string input at runtime', () => {
    expect(isKnownCurrency(840 as unknown as string)).toBe(false);
    expectFieldError(() => currencyExponent(undefined as unknown as string), 'currency');
  });
});

describe('KNOWN_CURRENCIES', () => {
  it('is a sorted, duplicate-free list of 3-letter uppercase codes', () => {
    expect(KNOWN_CURRENCIES.length).toBeGreaterThan(150);
    expect(new Set(KNOWN_CURRENCIES).size).toBe(KNOWN_CURRENCIES.length);
    expect([...KNOWN_CURRENCIES].sort()).toEqual(KNOWN_CURRENCIES);
    for (const code of KNOWN_CURRENCIES) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect(isKnownCurrency(code)).toBe(true);
      expect([0, 2, 3, 4]).toContain(currencyExponent(code));
    }
  });

  it('has the expected size per exponent class', () => {
    const byExponent = new Map<number, number>();
    for (const code of KNOWN_CURRENCIES) {
      const exponent = currencyExponent(code);
      byExponent.set(exponent, (byExponent.get(exponent) ?? 0) + 1);
    }
    expect(byExponent.get(0)).toBe(17);
    expect(byExponent.get(3)).toBe(7);
    expect(byExponent.get(4)).toBe(2);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(KNOWN_CURRENCIES)).toBe(true);
  });
});
