/**
 * The aging report as chart rows. Amounts stay exact in the table; the chart needs numbers, so
 * balances become major units there (display only; the decimal string comes from the money module).
 */
import { minorToDecimalString } from '@invoices/shared/lib/domain';
import type { AgingReport } from '@invoices/shared/lib/types';

export const BUCKET_LABELS: Record<string, string> = {
  current: 'Not yet due',
  '1-30': '1-30 days',
  '31-60': '31-60 days',
  '61-90': '61-90 days',
  '90+': 'Over 90 days',
};

export interface AgingChartRow {
  [key: string]: string | number;
  bucket: string;
  balance: number;
  count: number;
}

function major(amount: number, currency: string): number {
  try {
    return Number(minorToDecimalString(amount, currency));
  } catch {
    return amount;
  }
}

/** One row per bucket, in the report's order, for one currency's bar chart. */
export function agingChartRows(report: AgingReport, currency: string): AgingChartRow[] {
  const row = report.data.find((r) => r.currency === currency);
  if (!row) return [];
  return report.buckets.map((key) => {
    const cell = row.buckets[key] ?? { count: 0, balance: 0 };
    return { bucket: BUCKET_LABELS[key] ?? key, balance: major(cell.balance, currency), count: cell.count };
  });
}

/** Overdue = every bucket but `current`. */
export function overdueOf(report: AgingReport, currency: string): { count: number; balance: number } {
  const row = report.data.find((r) => r.currency === currency);
  if (!row) return { count: 0, balance: 0 };
  return report.buckets
    .filter((k) => k !== 'current')
    .reduce((sum, k) => ({ count: sum.count + (row.buckets[k]?.count ?? 0), balance: sum.balance + (row.buckets[k]?.balance ?? 0) }), { count: 0, balance: 0 });
}
