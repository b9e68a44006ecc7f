/**
 * Integer rounding for money. Every rounded amount in the engine goes through
 * {@link divideRoundHalfAwayFromZero}, so there is exactly one rounding rule to document,
 * test and explain to accountants (it is also what most people do by hand).
 */
import { DomainError } from '../errors.js';
import { pow10, type Decimal } from './decimal.js';

/**
 * numerator / denominator rounded to the nearest integer, ties away from zero
 * (2.5 -> 3, -2.5 -> -3, 2.4999 -> 2).
 * @throws RangeError when denominator <= 0: that is a programming error, not bad input.
 */
export function divideRoundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('divideRoundHalfAwayFromZero: denominator must be > 0');
  // Work on the magnitude because BigInt division truncates toward zero, which would make the
  // tie-break asymmetric for negative numerators.
  const magnitude = numerator < 0n ? -numerator : numerator;
  let quotient = magnitude / denominator;
  if ((magnitude % denominator) * 2n >= denominator) quotient += 1n;
  return numerator < 0n ? -quotient : quotient;
}

/** round(amount x factor), e.g. quantity x unit price, rounded half away from zero. */
export function multiplyByDecimal(amount: bigint, factor: Decimal): bigint {
  return divideRoundHalfAwayFromZero(amount * factor.units, pow10(factor.scale));
}

/** round(amount x percent / 100), rounded half away from zero; `percent` is e.g. 21 or 7.125. */
export function percentOf(amount: bigint, percent: Decimal): bigint {
  return divideRoundHalfAwayFromZero(amount * percent.units, 100n * pow10(percent.scale));
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/**
 * Converts an exact BigInt amount to a JS number for storage and JSON.
 * @throws DomainError `validation_failed` with detail {path, message: 'amount out of range'}
 * when the value is outside the safe integer range, where `number` would silently lose cents.
 */
export function toSafeNumber(value: bigint, path: string): number {
  if (value > MAX_SAFE || value < MIN_SAFE) {
    throw new DomainError('validation_failed', `${path}: amount out of range`, [{ path, message: 'amount out of range' }]);
  }
  return Number(value);
}
