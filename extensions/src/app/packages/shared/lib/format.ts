/**
 * Display formatting for money and dates. Amounts go through the service's money module
 * (integer minor units -> decimal string by digits), never through floating point.
 */
import { minorToDecimalString } from './domain';

/** 16335 USD -> "USD 163.35"; 500 JPY -> "JPY 500". */
export function formatMoney(amount: number, currency: string): string {
  try {
    return `${currency} ${minorToDecimalString(amount, currency)}`;
  } catch {
    // An unknown currency or a corrupt amount must not blank the card.
    return `${currency} ${amount}`;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-12-28" -> "Dec 28, 2026"; null -> "—". Plain string work: no time-zone shifts. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const [, y, m, d] = match;
  return `${MONTHS[Number(m) - 1] ?? m} ${Number(d)}, ${y}`;
}

/** The date parts HubSpot's DateInput uses (month is 0-based). */
export interface DateParts {
  year: number;
  month: number;
  date: number;
}

export function isoToDateParts(iso: string | null | undefined): DateParts | undefined {
  const match = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!match) return undefined;
  return { year: Number(match[1]), month: Number(match[2]) - 1, date: Number(match[3]) };
}

export function datePartsToIso(parts: DateParts | null | undefined): string | null {
  if (!parts) return null;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(parts.year, 4)}-${pad(parts.month + 1)}-${pad(parts.date)}`;
}
