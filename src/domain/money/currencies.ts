/**
 * ISO 4217 minor-unit exponents.
 *
 * Source: ISO 4217 list one as published on 2026-01-01 (SIX Group). Codes whose minor unit is
 * "N.A." in the standard (precious metals XAU/XAG/XPD/XPT, bond-market units XBA..XBD, XDR,
 * XSU, XUA, the testing code XTS and XXX) are left out on purpose: they have no defined minor
 * unit, so an amount in "minor units" would be meaningless on an invoice.
 * Withdrawn codes (e.g. ANG replaced by XCG, BGN by EUR, HRK, CUC, SLL, ZWL) are not listed
 * either, so new invoices cannot be issued in a currency that no longer exists.
 *
 * Grouped by exponent rather than alphabetically so the short, error-prone lists (0, 3 and 4
 * decimals) can be reviewed at a glance against the standard.
 */
import { invalidField } from '../errors.js';

const CODES_BY_EXPONENT: ReadonlyArray<readonly [exponent: number, codes: string]> = [
  [0, 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'],
  [3, 'BHD IQD JOD KWD LYD OMR TND'],
  [4, 'CLF UYW'],
  [
    2,
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
      'CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP ' +
      'GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD ' +
      'KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN ' +
      'NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK ' +
      'SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN ' +
      'UYU UZS VED VES WST XAD XCD XCG YER ZAR ZMW ZWG',
  ],
];

// A Map (not an object literal) so that inherited keys such as "constructor" or "__proto__"
// can never pass as currency codes.
const EXPONENTS: ReadonlyMap<string, number> = new Map(
  CODES_BY_EXPONENT.flatMap(([exponent, codes]) => codes.split(' ').map((code) => [code, exponent] as const)),
);

/** Every supported ISO 4217 alphabetic code, sorted alphabetically. */
export const KNOWN_CURRENCIES: readonly string[] = Object.freeze([...EXPONENTS.keys()].sort());

/**
 * True when `code` is a current ISO 4217 code with a defined minor unit.
 * Matching is exact: lowercase input is unknown, the API layer decides whether to upper-case.
 */
export function isKnownCurrency(code: string): boolean {
  return typeof code === 'string' && EXPONENTS.has(code);
}

/**
 * Number of decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3, CLF 4).
 * @throws DomainError `validation_failed` at path `currency` for an unknown code.
 */
export function currencyExponent(code: string): number {
  const exponent = typeof code === 'string' ? EXPONENTS.get(code) : undefined;
  if (exponent === undefined) {
    // Echo only a bounded prefix: the code comes straight from API input.
    const shown = typeof code === 'string' ? JSON.stringify(code.slice(0, 16)) : typeof code;
    throw invalidField('currency', `unknown currency code ${shown}; expected an ISO 4217 code like "USD"`);
  }
  return exponent;
}
