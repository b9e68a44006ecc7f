/**
 * Query plans of the invoice list views and the aging report on one portal holding a million
 * invoices: the exact SQL the app runs (captured from queryInvoicePage and queryAging through
 * knex's query event), run under EXPLAIN (ANALYZE, BUFFERS) after one warm-up execution.
 *
 *   npm run bench:views [-- --invoices 1000000 --cleanup]
 *
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/invoicing_bench),
 * BENCH_INVOICES. The database is created when missing and migrated. The seed lives in portal
 * 800000000000 + N, is inserted set-based with generate_series in one transaction (finalized
 * rows straight away: the guards fire on UPDATE and DELETE, not INSERT) and reused when complete;
 * --cleanup deletes it afterwards. Exits 1 when a plan reads the invoices table sequentially.
 */
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { connect, migrateToLatest } from '../src/db/connect.js';
import { queryAging } from '../src/db/aging-query.js';
import { queryInvoicePage, type ListQuery } from '../src/db/invoice-list-query.js';
import { type Sort } from '../src/domain/invoice-list.js';
import { ensurePortal } from '../src/db/portals-repo.js';
import { ROUNDING_RULE } from '../src/domain/totals.js';
import { databaseName, ensureBenchDatabase, redact } from './lib/database.js';
import { formatTable } from './lib/stats.js';
import { intOption, runMain } from './lib/cli.js';

const TODAY = '2026-11-28';
const MONTH = { first: '2026-11-01', last: '2026-11-30' };

function readOptions() {
  const { values } = parseArgs({ options: { invoices: { type: 'string' }, url: { type: 'string' }, cleanup: { type: 'boolean' } } });
  const n = intOption('invoices', values.invoices ?? process.env.BENCH_INVOICES, 1_000_000, 1, 20_000_000);
  return {
    url: values.url ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/invoicing_bench',
    invoices: n,
    cleanup: values.cleanup ?? false,
  };
}

/**
 * N finalized invoices over three years (created_at follows invoice_date): 25% open (a third
 * of them overdue), 65% paid, 5% void, 5% drafts; USD, EUR and JPY.
 */
async function seed(db: Knex, portalId: number, n: number): Promise<void> {
  await db.transaction(async (trx) => {
    await ensurePortal(trx, portalId, 'UTC');
    await trx.raw(
      `INSERT INTO invoices (portal_id, id, status, number, number_prefix, number_seq, currency, invoice_date, due_date, payment_terms,
         subtotal, total, amount_paid, rounding_rule, payment_methods, bill_to, public_token, snapshot, created_at, finalized_at, paid_at, voided_at)
       SELECT ?, md5('views-' || ? || '-' || g)::uuid, s.status,
              CASE WHEN s.status = 'draft' THEN NULL ELSE 'INV-' || g END, CASE WHEN s.status = 'draft' THEN NULL ELSE 'INV' END,
              CASE WHEN s.status = 'draft' THEN NULL ELSE g END,
              (ARRAY['USD', 'EUR', 'JPY'])[1 + g % 3], d, d + 30, 'net_30', 10000 + g % 5000, 10000 + g % 5000,
              CASE WHEN s.status = 'paid' THEN 10000 + g % 5000 ELSE 0 END, ?, '["ach"]',
              jsonb_build_object('name', 'Buyer ' || g, 'email', 'b' || g || '@example.com'), 'views-' || ? || '-' || g,
              CASE WHEN s.status = 'draft' THEN NULL ELSE '{}'::jsonb END, d + time '09:00' + (g % 1000) * interval '1 second',
              CASE WHEN s.status = 'draft' THEN NULL ELSE d + time '10:00' END, CASE WHEN s.status = 'paid' THEN d + time '11:00' END,
              CASE WHEN s.status = 'void' THEN d + time '12:00' END
         FROM generate_series(1, ?) AS g,
              LATERAL (SELECT date '2023-12-01' + ((g::bigint * 1096) / ?)::int AS d) AS dd,
              LATERAL (SELECT CASE WHEN g % 20 = 0 THEN 'void' WHEN g % 20 = 1 THEN 'draft'
                                   WHEN g % 20 < 7 OR dd.d > date '2026-10-15' THEN 'open' ELSE 'paid' END AS status) AS s`,
      [portalId, portalId, ROUNDING_RULE, portalId, n, n],
    );
  });
  // As autovacuum would: statistics, and the visibility map that index-only scans rely on.
  await db.raw('VACUUM (ANALYZE) invoices');
}

/** Runs `run` once to capture its SQL, then EXPLAIN (ANALYZE, BUFFERS) of that SQL. */
async function plan(db: Knex, run: () => Promise<unknown>): Promise<string[]> {
  const seen: Array<{ sql: string; bindings: readonly unknown[] }> = [];
  const listener = (q: { sql: string; bindings?: readonly unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  db.on('query', listener);
  try {
    await run();
  } finally {
    db.removeListener('query', listener);
  }
  const q = seen.at(-1)!;
  // The event carries the pg dialect's $1..$n (in order): back to knex's ? placeholders.
  const sql = q.sql.replace(/\$\d+/g, '?');
  const res = (await db.raw(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, q.bindings as Knex.RawBinding[])) as { rows: Array<{ 'QUERY PLAN': string }> };
  return res.rows.map((r) => r['QUERY PLAN']);
}

async function main(): Promise<number> {
  const opts = readOptions();
  const portalId = 800_000_000_000 + opts.invoices;
  await ensureBenchDatabase(opts.url);
  console.log(`bench:views on ${redact(opts.url)} (database ${databaseName(opts.url)}), portal ${portalId}, ${opts.invoices} invoices`);
  const db = connect({ url: opts.url }, { poolMax: 2 });
  try {
    await migrateToLatest(db);
    const have = Number(((await db('invoices').where({ portal_id: portalId }).count({ n: '*' }).first()) as { n: string }).n);
    if (have === 0) {
      const t0 = Date.now();
      await seed(db, portalId, opts.invoices);
      console.log(`seed: ${opts.invoices} invoices in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } else if (have !== opts.invoices) throw new Error(`portal ${portalId} holds ${have} invoices, not ${opts.invoices}`);
    else console.log('seed: reused');
    const counts = (await db('invoices').where({ portal_id: portalId }).select('status').count({ n: '*' }).groupBy('status').orderBy('status')) as Array<{
      status: string;
      n: string;
    }>;
    console.log(`statuses: ${counts.map((c) => `${c.status} ${c.n}`).join(', ')}`);

    const cases: Array<[string, () => Promise<unknown>]> = [];
    for (const view of ['overdue', 'due_this_month', 'paid', 'open'] as const) {
      for (const sort of ['-createdAt', 'dueDate'] as Sort[]) {
        const q: ListQuery = { view, sort, limit: 51, today: TODAY, monthFirst: MONTH.first, monthLast: MONTH.last };
        cases.push([`view=${view} sort=${sort}`, () => queryInvoicePage(db, portalId, q)]);
      }
    }
    cases.push(['aging report', () => queryAging(db, portalId, TODAY)]);
    const rows: string[][] = [];
    let seqScans = 0;
    for (const [name, run] of cases) {
      await run(); // warm-up
      const lines = await plan(db, run);
      const key = lines.filter((l) => /Scan|Sort|Limit|Aggregate/.test(l)).map((l) => l.trim().replace(/\s+\(cost=[^)]*\)/, ''));
      const time = lines.find((l) => l.startsWith('Execution Time'))!;
      if (lines.some((l) => /Seq Scan on invoices/.test(l))) seqScans++;
      console.log(`\n## ${name}\n${lines.join('\n')}`);
      rows.push([name, key[0] ?? '', time.replace('Execution Time: ', '')]);
    }
    console.log(`\n${formatTable(['query', 'top plan node', 'execution time'], rows)}`);
    if (opts.cleanup) {
      await db.transaction(async (trx) => {
        await trx.raw('SET LOCAL session_replication_role = replica'); // the guards refuse deleting finalized invoices
        await trx('invoices').where({ portal_id: portalId }).delete();
        await trx('portal_settings').where({ portal_id: portalId }).delete();
        await trx('portals').where({ id: portalId }).delete();
      });
      console.log('cleanup: seed deleted');
    }
    if (seqScans > 0) {
      console.error(`FAIL: ${seqScans} plan(s) scan invoices sequentially`);
      return 1;
    }
    console.log('OK: no sequential scan of invoices');
    return 0;
  } finally {
    await db.destroy();
  }
}

runMain('bench:views', main);
