/**
 * Accounts-receivable aging: how far past its due date an open invoice is, in calendar days of
 * the portal's time zone, sorted into the usual buckets. Days past due = asOf - dueDate, so an
 * invoice due today (0) or later (negative) is `current`.
 *
 * The bucket bounds are data: the pure function and the SQL aggregation (db/aging-query.ts)
 * are both built from AGING_BUCKETS, so they cannot disagree.
 */
import { daysBetween } from './dates.js';

/** Buckets in report order; `min`/`max` are inclusive days past due (null = unbounded). */
export const AGING_BUCKETS = [
  { key: 'current', min: null, max: 0 },
  { key: '1-30', min: 1, max: 30 },
  { key: '31-60', min: 31, max: 60 },
  { key: '61-90', min: 61, max: 90 },
  { key: '90+', min: 91, max: null },
] as const satisfies ReadonlyArray<{ key: string; min: number | null; max: number | null }>;

export type AgingBucket = (typeof AGING_BUCKETS)[number]['key'];

/** The bucket of an invoice `daysPastDue` days past due (0 or negative = current). */
export function agingBucket(daysPastDue: number): AgingBucket {
  if (!Number.isInteger(daysPastDue)) throw new RangeError(`agingBucket: days must be an integer, got ${daysPastDue}`);
  for (const b of AGING_BUCKETS) {
    if ((b.min === null || daysPastDue >= b.min) && (b.max === null || daysPastDue <= b.max)) return b.key;
  }
  /* c8 ignore next */
  throw new RangeError(`agingBucket: no bucket for ${daysPastDue}`);
}

/** Days an invoice due on `dueDate` is past due on `asOf` (negative when not yet due). */
export function daysPastDueOn(dueDate: string, asOf: string): number {
  return daysBetween(dueDate, asOf);
}

/** Count and balance (minor units) of one bucket. */
export interface AgingCell {
  count: number;
  balance: number;
}

/** One currency's row of the report. */
export interface AgingRow {
  currency: string;
  buckets: Record<AgingBucket, AgingCell>;
  total: AgingCell;
}

/** An all-zero row for `currency`. */
export function emptyAgingRow(currency: string): AgingRow {
  const buckets = Object.fromEntries(AGING_BUCKETS.map((b) => [b.key, { count: 0, balance: 0 }])) as Record<AgingBucket, AgingCell>;
  return { currency, buckets, total: { count: 0, balance: 0 } };
}

/**
 * The report computed in memory from open invoices (reference implementation; the service
 * aggregates in SQL). Rows are sorted by currency.
 */
export function agingReport(invoices: Array<{ currency: string; dueDate: string; balance: number }>, asOf: string): AgingRow[] {
  const rows = new Map<string, AgingRow>();
  for (const inv of invoices) {
    const row = rows.get(inv.currency) ?? emptyAgingRow(inv.currency);
    rows.set(inv.currency, row);
    const cell = row.buckets[agingBucket(daysPastDueOn(inv.dueDate, asOf))];
    cell.count += 1;
    cell.balance += inv.balance;
    row.total.count += 1;
    row.total.balance += inv.balance;
  }
  return [...rows.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}
