/**
 * Money for people to read: minor units formatted for a locale ("1.234,56 €" in de-DE).
 *
 * The amount reaches Intl as the exact decimal string from {@link minorToDecimalString}, never as
 * a float, so 9007199254740993 JPY prints every digit. The number of decimals is the currency's
 * ISO 4217 exponent rather than CLDR's (which differs for a few currencies), so the page, the PDF
 * and the API never disagree about what an amount is.
 */
import { currencyExponent } from './currencies.js';
import { minorToDecimalString } from './format.js';

/** The locale used when an invoice gives no hint (no country on buyer or seller). */
export const DEFAULT_DISPLAY_LOCALE = 'en-US';

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}`;
  let f = formatters.get(key);
  if (!f) {
    const digits = currencyExponent(currency);
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    // Bounded: locales and currencies come from a small closed set, but never let it grow without end.
    if (formatters.size > 1000) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

/**
 * Formats `amount` minor units of `currency` for `locale` (a BCP 47 tag), e.g.
 * (123456, 'EUR', 'de-DE') -> "1.234,56 €", (500, 'JPY', 'ja-JP') -> "￥500".
 * @throws RangeError when `amount` is not a safe integer; DomainError for an unknown currency.
 */
export function formatMoney(amount: number, currency: string, locale: string = DEFAULT_DISPLAY_LOCALE): string {
  // Intl formats a numeric string exactly (Intl.NumberFormat v3); the cast is for older lib typings.
  return formatterFor(locale, currency).format(minorToDecimalString(amount, currency) as unknown as number);
}

/**
 * The display locale for a country (ISO 3166 alpha-2), by CLDR's likely-subtags data:
 * "DE" -> "de-Latn-DE", "JP" -> "ja-Jpan-JP". Unknown or missing -> {@link DEFAULT_DISPLAY_LOCALE}.
 */
export function localeForCountry(country: string | null | undefined): string {
  if (!country || !/^[A-Za-z]{2}$/.test(country)) return DEFAULT_DISPLAY_LOCALE;
  try {
    const locale = new Intl.Locale('und', { region: country.toUpperCase() }).maximize();
    // "und" survives maximize() for regions CLDR knows nothing about.
    return locale.language === 'und' ? DEFAULT_DISPLAY_LOCALE : locale.baseName;
  } catch {
    return DEFAULT_DISPLAY_LOCALE;
  }
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** Formats an ISO date (`YYYY-MM-DD`) for `locale`, e.g. "Nov 28, 2026"; the calendar date never shifts with time zones. */
export function formatDate(isoDate: string, locale: string = DEFAULT_DISPLAY_LOCALE): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  let f = dateFormatters.get(locale);
  if (!f) {
    // Building a formatter costs far more than using one.
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    if (dateFormatters.size > 1000) dateFormatters.clear();
    dateFormatters.set(locale, f);
  }
  return f.format(date);
}
