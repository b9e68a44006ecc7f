/**
 * Money primitives: currencies, exact decimals, the single rounding rule and formatting.
 * Pure and free of Node APIs so React cards can import it too.
 */
export { KNOWN_CURRENCIES, currencyExponent, isKnownCurrency } from './currencies.js';
export {
  DEFAULT_MAX_SCALE,
  MAX_INTEGER_DIGITS,
  compareDecimalToInteger,
  compareDecimals,
  formatDecimal,
  normalizeDecimal,
  parseDecimal,
  pow10,
} from './decimal.js';
export type { Decimal, ParseDecimalOptions } from './decimal.js';
export { divideRoundHalfAwayFromZero, multiplyByDecimal, percentOf, toSafeNumber } from './rounding.js';
export { allocateLargestRemainder } from './allocate.js';
export { decimalStringToMinor, minorToDecimalString, parseMinorUnits } from './format.js';
export type { DecimalToMinorOptions } from './format.js';
