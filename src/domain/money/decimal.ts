/**
 * Exact decimal strings for quantities, percentages and HubSpot amounts.
 *
 * Parsing goes straight from the digits to a BigInt: a detour through `Number`/`parseFloat`
 * would turn "0.1" into 0.1000000000000000055... and make totals depend on binary rounding.
 */
import { invalidField } from '../errors.js';

/** An exact decimal number: value = units / 10^scale. Parsed values never carry trailing zeros. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

/** Limits applied by {@link parseDecimal}; bounds are integers and checked exactly. */
export interface ParseDecimalOptions {
  /** Maximum number of written fractional digits; default {@link DEFAULT_MAX_SCALE}. */
  maxScale?: number;
  /** Maximum number of digits before the point; default {@link MAX_INTEGER_DIGITS}. */
  maxIntegerDigits?: number;
  /** Accept a leading "-"; default false because most inputs (quantities, rates) are non-negative. */
  allowNegative?: boolean;
  /** Inclusive lower bound. */
  min?: bigint | number;
  /** Exclusive lower bound, e.g. 0 for quantities. */
  greaterThan?: bigint | number;
  /** Inclusive upper bound, e.g. 100 for percentages. */
  max?: bigint | number;
}

/** Default cap on fractional digits: enough for any real rate or quantity, small enough to bound BigInt sizes. */
export const DEFAULT_MAX_SCALE = 10;

/** Default cap on integer digits: 15 digits always fit below Number.MAX_SAFE_INTEGER (~9.007e15). */
export const MAX_INTEGER_DIGITS = 15;

const FORMAT_MESSAGE = 'must be a decimal string like "1.5"';

// No exponent, no leading "+", no leading zeros ("007" is more likely a typo than a number),
// no bare "." on either side. [0-9] rather than \d keeps it to ASCII digits whatever the flags.
const DECIMAL_PATTERN = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** 10^exponent as a BigInt (exponent is a small non-negative integer). */
export function pow10(exponent: number): bigint {
  if (!Number.isInteger(exponent) || exponent < 0) {
    throw new RangeError(`pow10: exponent must be a non-negative integer, got ${exponent}`);
  }
  return 10n ** BigInt(exponent);
}

/** Removes trailing zeros so that equal values have one representation ("1.50" and "1.5"). */
export function normalizeDecimal(value: Decimal): Decimal {
  let { units, scale } = value;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

/**
 * Parses a plain decimal string ("1", "1.5", "0.333333", "-2" when allowed) without floats.
 * @throws DomainError `validation_failed` at `path` with a human-readable message.
 */
export function parseDecimal(text: string, path: string, opts: ParseDecimalOptions = {}): Decimal {
  const maxScale = opts.maxScale ?? DEFAULT_MAX_SCALE;
  const maxIntegerDigits = opts.maxIntegerDigits ?? MAX_INTEGER_DIGITS;
  // The type says string, but API payloads reach this untyped (a JSON number is a common mistake).
  if (typeof text !== 'string') throw invalidField(path, FORMAT_MESSAGE);
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) throw invalidField(path, FORMAT_MESSAGE);
  const [, sign = '', integerDigits = '', fractionDigits = ''] = match;
  if (sign !== '' && opts.allowNegative !== true) throw invalidField(path, 'must not be negative');
  if (integerDigits.length > maxIntegerDigits) {
    throw invalidField(path, `must have at most ${maxIntegerDigits} digits before the decimal point`);
  }
  if (fractionDigits.length > maxScale) {
    throw invalidField(path, `must have at most ${maxScale} decimal places`);
  }
  const value = normalizeDecimal({
    units: BigInt(sign + integerDigits + fractionDigits),
    scale: fractionDigits.length,
  });
  checkBounds(value, path, opts);
  return value;
}

function checkBounds(value: Decimal, path: string, opts: ParseDecimalOptions): void {
  if (opts.greaterThan !== undefined && compareDecimalToInteger(value, opts.greaterThan) <= 0) {
    throw invalidField(path, `must be greater than ${String(opts.greaterThan)}`);
  }
  if (opts.min !== undefined && compareDecimalToInteger(value, opts.min) < 0) {
    throw invalidField(path, `must be at least ${String(opts.min)}`);
  }
  if (opts.max !== undefined && compareDecimalToInteger(value, opts.max) > 0) {
    throw invalidField(path, `must be at most ${String(opts.max)}`);
  }
}

/** Canonical text of a decimal: no trailing zeros, no "-0", at least one digit before the point. */
export function formatDecimal(value: Decimal): string {
  const { units, scale } = normalizeDecimal(value);
  if (scale === 0) return units.toString();
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const point = digits.length - scale;
  return `${negative ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Exact three-way comparison of two decimals: -1 when a < b, 0 when equal, 1 when a > b. */
export function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const left = a.units * pow10(scale - a.scale);
  const right = b.units * pow10(scale - b.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Exact comparison of a decimal with an integer bound (-1, 0 or 1).
 * A `number` bound must be a safe integer: a fractional bound would need the floats this module avoids.
 */
export function compareDecimalToInteger(value: Decimal, bound: bigint | number): -1 | 0 | 1 {
  if (typeof bound === 'number' && !Number.isSafeInteger(bound)) {
    throw new RangeError(`compareDecimalToInteger: bound must be a safe integer, got ${bound}`);
  }
  return compareDecimals(value, { units: BigInt(bound), scale: 0 });
}
