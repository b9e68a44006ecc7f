import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { divideRoundHalfAwayFromZero, multiplyByDecimal, percentOf, toSafeNumber } from './rounding.js';

describe('divideRoundHalfAwayFromZero', () => {
  it.each([
    [25n, 10n, 3n], // 2.5
    [-25n, 10n, -3n], // -2.5
    [24999n, 10000n, 2n], // 2.4999
    [-24999n, 10000n, -2n],
    [15n, 10n, 2n], // 1.5
    [-15n, 10n, -2n],
    [14n, 10n, 1n],
    [16n, 10n, 2n],
    [5n, 10n, 1n], // 0.5
    [-5n, 10n, -1n],
    [4n, 10n, 0n],
    [-4n, 10n, 0n],
    [0n, 7n, 0n],
    [7n, 1n, 7n],
    [-7n, 1n, -7n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [-2n, 3n, -1n],
    [10n ** 30n + 5n, 10n, 10n ** 29n + 1n], // far beyond Number precision
  ])('%s / %s = %s', (numerator, denominator, expected) => {
    expect(divideRoundHalfAwayFromZero(numerator, denominator)).toBe(expected);
  });

  it('refuses a zero or negative denominator', () => {
    expect(() => divideRoundHalfAwayFromZero(1n, 0n)).toThrow(RangeError);
    expect(() => divideRoundHalfAwayFromZero(1n, -2n)).toThrow(RangeError);
  });

  it('matches an independent reference and is the nearest integer, ties away from zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, d) => {
        const q = divideRoundHalfAwayFromZero(n, d);
        // Reference: floor((2|n| + d) / 2d) is |n|/d rounded half up, then restore the sign.
        const magnitude = n < 0n ? -n : n;
        const reference = (2n * magnitude + d) / (2n * d);
        expect(q).toBe(n < 0n ? -reference : reference);
        // Multiplying back: the error is at most half a unit ...
        const error = n - q * d;
        const absError = error < 0n ? -error : error;
        expect(2n * absError <= d).toBe(true);
        // ... and on an exact tie the result is the one further from zero.
        if (2n * absError === d) {
          const back = q * d;
          expect(back < 0n ? -back : back).toBeGreaterThan(magnitude);
        }
        // Symmetry: rounding is odd, so -n rounds to -q.
        expect(divideRoundHalfAwayFromZero(-n, d)).toBe(-q);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('multiplyByDecimal / percentOf', () => {
  it('rounds the exact product once', () => {
    expect(multiplyByDecimal(10000n, { units: 15n, scale: 1 })).toBe(15000n);
    expect(multiplyByDecimal(100n, { units: 333333n, scale: 6 })).toBe(33n); // 33.3333
    expect(multiplyByDecimal(1n, { units: 5n, scale: 1 })).toBe(1n); // 0.5 -> 1
    expect(percentOf(13500n, { units: 21n, scale: 0 })).toBe(2835n);
    expect(percentOf(999n, { units: 10n, scale: 0 })).toBe(100n); // 99.9
    expect(percentOf(5n, { units: 10n, scale: 0 })).toBe(1n); // 0.5
    expect(percentOf(3085n, { units: 75n, scale: 1 })).toBe(231n); // 7.5% = 231.375
    expect(percentOf(-5n, { units: 10n, scale: 0 })).toBe(-1n);
  });
});

describe('toSafeNumber', () => {
  it('converts values inside the safe range', () => {
    expect(toSafeNumber(0n, 'x')).toBe(0);
    expect(toSafeNumber(-42n, 'x')).toBe(-42);
    expect(toSafeNumber(BigInt(Number.MAX_SAFE_INTEGER), 'x')).toBe(Number.MAX_SAFE_INTEGER);
    expect(toSafeNumber(BigInt(Number.MIN_SAFE_INTEGER), 'x')).toBe(Number.MIN_SAFE_INTEGER);
  });

  it.each([BigInt(Number.MAX_SAFE_INTEGER) + 1n, BigInt(Number.MIN_SAFE_INTEGER) - 1n, 10n ** 40n])('throws validation_failed for %s', (value) => {
    let caught: unknown;
    try {
      toSafeNumber(value, 'lineItems[3]');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DomainError);
    const error = caught as DomainError;
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([{ path: 'lineItems[3]', message: 'amount out of range' }]);
  });
});
