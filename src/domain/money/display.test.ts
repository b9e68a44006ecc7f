import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, localeForCountry } from './display.js';

describe('formatMoney', () => {
  it('formats minor units for the locale with the ISO exponent', () => {
    expect(formatMoney(123456, 'USD', 'en-US')).toBe('$1,234.56');
    expect(formatMoney(123456, 'EUR', 'de-DE')).toBe('1.234,56\u00a0€');
    expect(formatMoney(500, 'JPY', 'ja-JP')).toBe('￥500');
    expect(formatMoney(1234, 'KWD', 'en-US')).toBe('KWD\u00a01.234');
    expect(formatMoney(-5, 'USD', 'en-US')).toBe('-$0.05');
    expect(formatMoney(100, 'USD')).toBe('$1.00');
  });

  it('prints every digit of the largest safe amounts (no float detour)', () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD', 'en-US')).toBe('$90,071,992,547,409.91');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'JPY', 'en-US')).toBe('¥9,007,199,254,740,991');
    expect(formatMoney(Number.MAX_SAFE_INTEGER - 1, 'EUR', 'de-DE')).toBe('90.071.992.547.409,90\u00a0€');
  });

  it('refuses unsafe integers', () => {
    expect(() => formatMoney(0.1, 'USD')).toThrow(RangeError);
  });
});

describe('localeForCountry', () => {
  it('maps countries to their likely locale and falls back to en-US', () => {
    expect(localeForCountry('DE')).toBe('de-Latn-DE');
    expect(localeForCountry('nl')).toBe('nl-Latn-NL');
    expect(localeForCountry(null)).toBe('en-US');
    expect(localeForCountry('Netherlands')).toBe('en-US');
  });
});

describe('formatDate', () => {
  it('keeps the calendar date whatever the time zone', () => {
    expect(formatDate('2026-11-28', 'en-US')).toBe('Nov 28, 2026');
    expect(formatDate('2026-01-01', 'de-DE')).toBe('01.01.2026');
  });
});
