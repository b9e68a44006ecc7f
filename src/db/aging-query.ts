import { AGING_BUCKETS, emptyAgingRow, type AgingBucket, type AgingRow } from '../domain/aging.js';
import type { Db } from './invoices-repo.js';

/** `CASE` over days past due (`asOf - due_date`, an integer in PostgreSQL) built from AGING_BUCKETS. */
function bucketCase(): string {
  const whens = AGING_BUCKETS.map((b, i) => {
    const conds = [b.min === null ? null : `d >= ${b.min}`, b.max === null ? null : `d <= ${b.max}`].filter(Boolean).join(' AND ');
    return `WHEN ${conds} THEN ${i}`;
  });
  return `CASE ${whens.join(' ')} END`;
}

const SQL = `
  SELECT currency, ${bucketCase()} AS bucket, count(*)::int AS count, sum(balance)::bigint AS balance
    FROM (SELECT currency, total - amount_paid AS balance, (?::date - due_date) AS d
            FROM invoices
           WHERE portal_id = ? AND status = 'open') open_invoices
   GROUP BY currency, bucket
   ORDER BY currency, bucket`;

/**
 * The aging report of a portal's open invoices, aggregated by PostgreSQL (one pass over the
 * partial index invoices_open_by_due, one row per currency and bucket back), as of `asOf`.
 */
export async function queryAging(db: Db, portalId: number, asOf: string): Promise<AgingRow[]> {
  const result = await db.raw(SQL, [asOf, portalId]);
  const rows = new Map<string, AgingRow>();
  for (const r of result.rows as Array<{ currency: string; bucket: number; count: number; balance: string | number }>) {
    const row = rows.get(r.currency) ?? emptyAgingRow(r.currency);
    rows.set(r.currency, row);
    const key = AGING_BUCKETS[r.bucket]!.key as AgingBucket;
    const balance = Number(r.balance);
    if (!Number.isSafeInteger(balance)) throw new RangeError(`aging balance of ${r.currency} is not a safe integer`);
    row.buckets[key] = { count: r.count, balance };
    row.total.count += r.count;
    row.total.balance += balance;
  }
  return [...rows.values()];
}
