/**
 * Conversions between integer minor units and major-unit decimal strings.
 *
 * Amounts are stored as integers of the currency's minor unit; strings are what HubSpot and
 * humans exchange. Both directions are digit manipulations on BigInt so no float ever
 * touches a monetary value.
 */
import { invalidField } from '../errors.js';
import { currencyExponent } from './currencies.js';
import { DEFAULT_MAX_SCALE, parseDecimal, pow10 } from './decimal.js';
import { divideRoundHalfAwayFromZero, toSafeNumber } from './rounding.js';

const MINOR_UNITS_PATTERN = /^(0|[1-9][0-9]*)$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Options for {@link decimalStringToMinor}. */
export interface DecimalToMinorOptions {
  /** Accept negative amounts (credits); default false, matching {@link parseDecimal}. */
  allowNegative?: boolean;
  /** Maximum fractional digits accepted before rounding; default {@link DEFAULT_MAX_SCALE}. */
  maxScale?: number;
}

/**
 * Formats minor units as a major-unit string with exactly the currency's number of decimals
 * ("12345" USD -> "123.45", 500 JPY -> "500", 1234 KWD -> "1.234", -5 USD -> "-0.05").
 * Decimals are kept (100 USD cents -> "1.00") because that is how money is written.
 * @throws RangeError when `amount` is not a safe integer: callers only hold validated amounts.
 * @throws DomainError for an unknown currency.
 */
export function minorToDecimalString(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`minorToDecimalString: amount must be a safe integer, got ${amount}`);
  }
  const exponent = currencyExponent(currency);
  const negative = amount < 0;
  // BigInt handles the magnitude so -Number.MAX_SAFE_INTEGER needs no special case.
  const digits = BigInt(Math.abs(amount)).toString();
  const sign = negative ? '-' : '';
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  const point = padded.length - exponent;
  return `${sign}${padded.slice(0, point)}.${padded.slice(point)}`;
}

/**
 * Converts a major-unit decimal string (e.g. HubSpot's "1234.5") to minor units of `currency`,
 * rounding half away from zero to the currency's exponent ("0.005" USD -> 1, "1234.5" JPY -> 1235).
 * Never goes through parseFloat, so "0.1" is exactly 10 cents.
 * @throws DomainError `validation_failed` at `path` for malformed text or a result outside the
 * safe integer range, and at `currency` for an unknown currency.
 */
export function decimalStringToMinor(text: string, currency: string, path: string, opts: DecimalToMinorOptions = {}): number {
  const exponent = currencyExponent(currency);
  const value = parseDecimal(text, path, {
    allowNegative: opts.allowNegative ?? false,
    maxScale: opts.maxScale ?? DEFAULT_MAX_SCALE,
    // Every safe amount must convert: in a zero-exponent currency such as JPY that is up to 16
    // digits before the point. toSafeNumber below is what bounds the result.
    maxIntegerDigits: 16,
  });
  const minor = value.scale <= exponent ? value.units * pow10(exponent - value.scale) : divideRoundHalfAwayFromZero(value.units, pow10(value.scale - exponent));
  return toSafeNumber(minor, path);
}

/**
 * Parses a string holding a non-negative whole number of minor units ("500" = 5.00 USD), as
 * used by fixed-amount discounts, fees and taxes. Strings rather than JSON numbers so large
 * amounts survive every JSON parser on the way.
 * @throws DomainError `validation_failed` at `path` when malformed or above Number.MAX_SAFE_INTEGER.
 */
export function parseMinorUnits(text: string, path: string): bigint {
  if (typeof text !== 'string' || !MINOR_UNITS_PATTERN.test(text)) {
    throw invalidField(path, 'must be a whole number of minor units as a string, like "500"');
  }
  const amount = BigInt(text);
  if (amount > MAX_SAFE) throw invalidField(path, 'amount out of range');
  return amount;
}
