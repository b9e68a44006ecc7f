/**
 * Export benchmark: N finalized invoices x 5 lines in one portal, exported to `xero-csv` through
 * the use case (written to /dev/null, recorded as a batch: items, exported events, stored
 * bytes), the same file without recording, and PostgreSQL's own COPY of the same join as the
 * limit; plus what the N `exported` audit events cost on their own.
 *
 *   npm run bench:export [-- --invoices 100000 --max-seconds 240]
 *
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/invoicing_bench),
 * BENCH_INVOICES, BENCH_MAX_SECONDS. Flags win over env. The database is created when missing
 * and migrated to latest. The seed lives in portal 900000000000 + N and is reused when present
 * (seeding is one transaction, so a seed is either complete or absent). The COPY limit runs
 * through `psql` (\copy ... to /dev/null), so psql must be on PATH.
 * Exits 1 when the row count is wrong, the export is cut short or an operation fails.
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { loadavg } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import type { Actor } from '../src/domain/actor.js';
import { DEFAULT_STATUSES, exportMappings, PAGE_SIZE, startExport } from '../src/app/export-invoices.js';
import { connect, migrateToLatest } from '../src/db/connect.js';
import { exportPages } from '../src/db/export-query.js';
import { FORMATS, WHOLE } from '../src/domain/exports/formats.js';
import { ensurePortal } from '../src/db/portals-repo.js';
import { ROUNDING_RULE } from '../src/domain/totals.js';
import { databaseName, ensureBenchDatabase, redact } from './lib/database.js';
import { mb, peakRssFromProc, sampleRss } from './lib/memory.js';
import { formatTable } from './lib/stats.js';
import { intOption, runMain } from './lib/cli.js';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/invoicing_bench';
const LINES = 5;
const PORTAL_BASE = 900_000_000_000;

interface Options {
  url: string;
  invoices: number;
  maxSeconds: number;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      invoices: { type: 'string' },
      'max-seconds': { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log('usage: npm run bench:export -- [--invoices N] [--max-seconds S] [--url URL]');
    process.exit(0);
  }
  return {
    url: values.url ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_URL,
    invoices: intOption('invoices', values.invoices ?? process.env.BENCH_INVOICES, 100_000, 1, 10_000_000),
    maxSeconds: intOption('max-seconds', values['max-seconds'] ?? process.env.BENCH_MAX_SECONDS, 240, 1, 3600),
  };
}

/**
 * Seeds N open invoices of 5 lines each in `portalId`, set-based: the invoices as drafts, their
 * lines (the parts guard allows lines on drafts only), then one UPDATE draft -> open that sets
 * number, number_seq, finalized_at and snapshot (the CHECK requires all four; the finalized guard
 * allows draft -> open). Every line is 2 x unit price with 21% tax, so totals add up exactly.
 * Ids are md5-derived UUIDs of (portal, g), so lines find their invoice without a join.
 */
async function seed(db: Knex, portalId: number, n: number): Promise<void> {
  await db.transaction(async (trx) => {
    await ensurePortal(trx, portalId, 'UTC');
    const id = (g: string) => `md5('bench-export-' || ${portalId} || '-' || ${g})::uuid`;
    const unit = `(1000 + ((g * 7 + k * 13) % 9000))`;
    const tax = `round(2 * ${unit} * 0.21)::bigint`;
    await trx.raw(
      `INSERT INTO invoices (portal_id, id, status, currency, invoice_date, due_date, payment_terms,
         subtotal, discount_total, fee_total, tax_total, total, rounding_rule, payment_methods, bill_to, public_token, created_by)
       SELECT ?, ${id('g')}, 'draft', 'USD', d, d + 30, 'net_30', s.sub, 0, 0, s.tax, s.sub + s.tax, ?,
              '["ach"]'::jsonb,
              jsonb_build_object('name', 'Bench Buyer ' || g, 'email', 'buyer' || g || '@example.com', 'companyName', 'Bench Co ' || g,
                                 'address', jsonb_build_object('line1', 'Main St ' || g, 'city', 'Utrecht', 'postalCode', '3511', 'country', 'NL')),
              'bench-export-' || ? || '-' || g, 'bench'
         FROM generate_series(1, ?) AS g,
              LATERAL (SELECT date '2026-01-01' + (g % 365)::int AS d) AS dd,
              LATERAL (SELECT sum(2 * ${unit})::bigint AS sub, sum(${tax})::bigint AS tax FROM generate_series(0, ${LINES - 1}) AS k) AS s`,
      [portalId, ROUNDING_RULE, portalId, n],
    );
    await trx.raw(
      `INSERT INTO invoice_line_items (portal_id, invoice_id, position, name, description, sku, quantity, unit_price,
         tax_rate, gross_amount, discount_amount, amount, invoice_discount_share, tax_amount)
       SELECT ?, ${id('g')}, k, 'Bench service ' || k, 'Period ' || (g % 12 + 1), 'SKU-' || k, 2, ${unit},
              21, 2 * ${unit}, 0, 2 * ${unit}, 0, ${tax}
         FROM generate_series(1, ?) AS g, generate_series(0, ${LINES - 1}) AS k`,
      [portalId, n],
    );
    await trx.raw(
      `UPDATE invoices
          SET status = 'open', number_prefix = 'INV', number_seq = 1000 + split_part(public_token, '-', 4)::bigint,
              number = 'INV-' || (1000 + split_part(public_token, '-', 4)::bigint), finalized_at = now(),
              snapshot = jsonb_build_object('bench', true)
        WHERE portal_id = ? AND status = 'draft'`,
      [portalId],
    );
    await trx('portal_settings')
      .where({ portal_id: portalId })
      .update({ next_number: 1001 + n });
  });
  await db.raw('ANALYZE invoices');
  await db.raw('ANALYZE invoice_line_items');
}

async function seedState(db: Knex, portalId: number): Promise<{ invoices: number; lines: number }> {
  const inv = (await db('invoices').where({ portal_id: portalId }).whereNotNull('number').count({ n: '*' }).first()) as { n: string | number };
  const lines = (await db('invoice_line_items').where({ portal_id: portalId }).count({ n: '*' }).first()) as { n: string | number };
  return { invoices: Number(inv.n), lines: Number(lines.n) };
}

/** The use case's query in one statement: the same invoices and lines, in the export's order. */
function copyQuery(portalId: number): string {
  return (
    `SELECT i.number, i.invoice_date, i.due_date, i.total, i.currency, i.bill_to->>'companyName', i.bill_to->>'email', ` +
    `i.bill_to->'address'->>'line1', i.bill_to->'address'->>'city', i.bill_to->'address'->>'postalCode', i.bill_to->'address'->>'country', ` +
    `l.sku, l.name, l.description, l.quantity, l.unit_price, l.tax_rate, l.tax_amount ` +
    `FROM invoices i JOIN invoice_line_items l ON l.portal_id = i.portal_id AND l.invoice_id = i.id ` +
    `WHERE i.portal_id = ${portalId} AND i.number IS NOT NULL AND i.status IN ('open', 'paid') ` +
    `ORDER BY i.number_prefix, i.number_seq, i.id, l.position`
  );
}

/** `\copy (query) to '/dev/null' with csv` through psql; returns the rows COPY reported and the wall time. */
function psqlCopy(url: string, query: string, timeoutMs: number): Promise<{ rows: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    execFile('psql', [url, '-X', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy (${query}) to '/dev/null' with csv`], { timeout: timeoutMs }, (err, stdout, stderr) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (err) return reject(new Error(`psql failed: ${stderr || err.message}`));
      const m = /COPY (\d+)/.exec(stdout);
      if (!m) return reject(new Error(`psql printed no COPY count: ${stdout}`));
      resolve({ rows: Number(m[1]), seconds });
    });
  });
}

interface ExportRun {
  rows: number;
  bytes: number;
  seconds: number;
  cutShort: boolean;
  rssBefore: number;
  rssPeak: number;
  rssSamples: number[];
}

/**
 * The file without recording anything: the same pages, mappings and writer as startExport, no
 * transaction, no batch, items, events or stored chunks (what the export did before batches).
 */
async function* plainXero(db: Knex, portalId: number): AsyncGenerator<Buffer> {
  const writer = FORMATS['xero-csv'];
  const opts = { mappings: await exportMappings(db, portalId) };
  yield Buffer.from(writer.header());
  let first = true;
  for await (const page of exportPages(db, portalId, { statuses: DEFAULT_STATUSES['xero-csv'] }, PAGE_SIZE)) {
    let chunk = '';
    for (const { invoice, payments } of page) {
      chunk += writer.records(invoice, payments, opts, first, WHOLE);
      first = false;
    }
    yield Buffer.from(chunk);
  }
}

/**
 * What the `exported` audit events alone cost: N events inserted as startExport inserted them before
 * issue 13 (one multi-row INSERT per page of 200; it writes none now) in one transaction, rolled back afterwards.
 */
async function eventsCost(db: Knex, portalId: number, n: number): Promise<number> {
  const ids = (await db('invoices').where({ portal_id: portalId }).whereNotNull('number').orderBy('id').limit(n).pluck('id')) as string[];
  const trx = await db.transaction();
  const started = process.hrtime.bigint();
  try {
    for (let k = 0; k < ids.length; k += PAGE_SIZE) {
      await trx('invoice_events').insert(
        ids.slice(k, k + PAGE_SIZE).map((id) => ({
          portal_id: portalId,
          invoice_id: id,
          type: 'exported',
          actor_type: 'system',
          actor_id: 'bench',
          data: JSON.stringify({ batchId: '00000000-0000-4000-8000-000000000000', format: 'xero-csv', state: 'invoice', version: 1 }),
        })),
      );
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await trx.rollback();
  }
}

async function runExport(db: Knex, portalId: number, maxSeconds: number, record = true): Promise<ExportRun & { batchId: string | null }> {
  const actor: Actor = { portalId, userId: 'bench', kind: 'system', scopes: ['exports'] };
  const deadline = Date.now() + maxSeconds * 1000;
  let records = 0;
  let bytes = 0;
  let cutShort = false;
  const run = record
    ? await startExport({ db, clock: () => new Date() }, actor, { format: 'xero-csv', filter: { statuses: DEFAULT_STATUSES['xero-csv'] }, incremental: false })
    : null;
  const source = run ? run.chunks : plainXero(db, portalId);
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      // Records end with CRLF; cells hold bare LFs only (name LF description): count CRLFs.
      for (let i = chunk.indexOf('\r\n'); i !== -1; i = chunk.indexOf('\r\n', i + 2)) records++;
      bytes += chunk.length;
      yield chunk;
      if (Date.now() > deadline) {
        cutShort = true;
        return;
      }
    }
  }
  const rssBefore = process.memoryUsage().rss;
  const sampler = sampleRss(50);
  const started = process.hrtime.bigint();
  await pipeline(Readable.from(counted()), createWriteStream('/dev/null'));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { peak, samples } = sampler.stop();
  return { rows: Math.max(0, records - 1), bytes, seconds, cutShort, rssBefore, rssPeak: peak, rssSamples: samples, batchId: run?.batchId ?? null };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<number> {
  const opts = readOptions();
  const portalId = PORTAL_BASE + opts.invoices;
  const created = await ensureBenchDatabase(opts.url);
  console.log(`bench:export on ${redact(opts.url)} (database ${databaseName(opts.url)}${created ? ', created' : ''}), Node ${process.version}`);
  const db = connect({ url: opts.url }, { poolMax: 4 });
  try {
    await migrateToLatest(db);
    const version = (await db.raw('SHOW server_version')) as { rows: Array<{ server_version: string }> };
    console.log(
      `PostgreSQL ${version.rows[0]!.server_version}; ${opts.invoices} invoices x ${LINES} lines in portal ${portalId}; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );

    let state = await seedState(db, portalId);
    if (state.invoices === opts.invoices && state.lines === opts.invoices * LINES) {
      console.log('seed: reused');
    } else if (state.invoices === 0 && state.lines === 0) {
      const t0 = Date.now();
      await seed(db, portalId, opts.invoices);
      state = await seedState(db, portalId);
      console.log(`seed: ${state.invoices} invoices, ${state.lines} lines in ${((Date.now() - t0) / 1000).toFixed(1)} s (set-based, one transaction)`);
    } else {
      throw new Error(
        `portal ${portalId} holds ${state.invoices} invoices / ${state.lines} lines, not a complete seed of ${opts.invoices}: delete it or pick another --invoices`,
      );
    }
    const expectedRows = opts.invoices * LINES;

    const query = copyQuery(portalId);
    // Untimed warm-up of the same join, so both timed runs start from the same cache state.
    await psqlCopy(opts.url, query, opts.maxSeconds * 1000);

    const exp = await runExport(db, portalId, opts.maxSeconds);
    const hwm = peakRssFromProc();
    const plain = await runExport(db, portalId, opts.maxSeconds, false);
    const copy = await psqlCopy(opts.url, query, opts.maxSeconds * 1000);
    const eventSeconds = await eventsCost(db, portalId, opts.invoices);
    const batch = exp.batchId ? await db('export_batches').where({ portal_id: portalId, id: exp.batchId }).first() : null;
    const stored = exp.batchId
      ? ((await db('export_batch_chunks')
          .where({ portal_id: portalId, batch_id: exp.batchId })
          .select(db.raw('count(*)::int AS n, sum(length(bytes))::bigint AS bytes'))
          .first()) as { n: number; bytes: string })
      : null;

    const exportRate = exp.rows / exp.seconds;
    const copyRate = copy.rows / copy.seconds;
    const quart = [0.25, 0.5, 0.75, 1].map((q) => mb(exp.rssSamples[Math.min(exp.rssSamples.length - 1, Math.floor(q * (exp.rssSamples.length - 1)))]!));
    console.log('');
    console.log(
      formatTable(
        ['run', 'rows', 'seconds', 'rows/s', 'MB written'],
        [
          ['xero-csv via startExport (batch recorded) -> /dev/null', fmt(exp.rows), fmt(exp.seconds, 2), fmt(exportRate), fmt(exp.bytes / 1e6, 1)],
          [
            'xero-csv, same pages and writer, nothing recorded',
            fmt(plain.rows),
            fmt(plain.seconds, 2),
            fmt(plain.rows / plain.seconds),
            fmt(plain.bytes / 1e6, 1),
          ],
          ['limit: psql \\copy (same join) to /dev/null csv', fmt(copy.rows), fmt(copy.seconds, 2), fmt(copyRate), '-'],
        ],
      ),
    );
    console.log(`ratio export/COPY: ${(exportRate / copyRate).toFixed(3)} (COPY is ${(copyRate / exportRate).toFixed(1)}x faster)`);
    console.log(
      `batch recording: ${fmt(exp.seconds - plain.seconds, 2)} s over the unrecorded file (${fmt(((exp.seconds - plain.seconds) / plain.seconds) * 100, 1)}%); ` +
        `of which ${opts.invoices} exported events alone (pages of ${PAGE_SIZE}, rolled back): ${fmt(eventSeconds, 2)} s`,
    );
    console.log(
      `batch ${exp.batchId}: invoice_count ${batch?.invoice_count}, byte_length ${batch?.byte_length}, checksum ${String(batch?.checksum).slice(0, 12)}..., ` +
        `${stored?.n} stored chunks holding ${stored?.bytes} bytes`,
    );
    console.log(
      `RSS: ${mb(exp.rssBefore)} MB before the export, peak ${mb(exp.rssPeak)} MB sampled every 50 ms during it ` +
        `(at 25/50/75/100% of the samples: ${quart.join(' / ')} MB); VmHWM ${hwm === null ? 'n/a' : `${mb(hwm)} MB`} (process lifetime peak)`,
    );
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at end`,
    );

    const problems: string[] = [];
    if (exp.cutShort) problems.push(`export cut short by --max-seconds ${opts.maxSeconds} after ${exp.rows} rows`);
    else if (exp.rows !== expectedRows) problems.push(`export wrote ${exp.rows} rows, expected ${expectedRows}`);
    if (copy.rows !== expectedRows) problems.push(`COPY returned ${copy.rows} rows, expected ${expectedRows}`);
    if (!exp.cutShort && (batch?.invoice_count !== opts.invoices || Number(batch?.byte_length) !== exp.bytes || Number(stored?.bytes) !== exp.bytes)) {
      problems.push(
        `the batch does not match the file: ${JSON.stringify({ invoiceCount: batch?.invoice_count, byteLength: batch?.byte_length, stored: stored?.bytes, bytes: exp.bytes })}`,
      );
    }
    const peak = Math.max(exp.rssPeak, hwm ?? 0);
    if (peak >= 300 * 1024 * 1024) problems.push(`peak RSS ${mb(peak)} MB is not under 300 MB`);
    if (problems.length) {
      for (const p of problems) console.error(`FAIL: ${p}`);
      return 1;
    }
    console.log(`OK: ${fmt(expectedRows)} rows from both, peak RSS ${mb(peak)} MB < 300 MB`);
    return 0;
  } finally {
    await db.destroy();
  }
}

runMain('bench:export', main);
