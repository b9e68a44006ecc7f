/**
 * Numbering benchmark: finalize throughput against the per-portal counter row.
 *
 *   npm run bench:numbering [-- --drafts 2000 --clients 16 --portals 100 --warmup 100]
 *
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/invoicing_bench),
 * BENCH_DRAFTS, BENCH_CLIENTS, BENCH_PORTALS, BENCH_WARMUP, BENCH_POOL_MAX, BENCH_MAX_SECONDS,
 * BENCH_IDEMPOTENCY_KEYS=1 (same as --idempotency-keys: every finalize runs under a fresh key).
 * Flags win over env. The database is created when missing and migrated to latest; every run
 * uses fresh random portal ids, so runs never collide with each other or with other data.
 *
 * Phases (drafts are created before any timing, through createInvoice):
 *   A  one portal:   N finalizations in one portal by C concurrent clients, then the limit:
 *                    N bare `UPDATE portal_settings ... next_number + 1` transactions on one
 *                    (separate, fresh) portal by the same C clients.
 *   B  100 portals:  the same, with the drafts and the bare updates spread over P portals.
 * After each finalize phase the issued numbers are checked to be gapless per portal.
 * Exits 1 when a check fails or an operation errors.
 */
import { randomInt } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import type { Actor } from '../src/domain/actor.js';
import { createInvoice } from '../src/app/create-invoice.js';
import type { Deps } from '../src/app/deps.js';
import type { DraftInput } from '../src/app/draft-content.js';
import { finalizeInvoice } from '../src/app/finalize-invoice.js';
import type { InvoiceToday } from '../src/app/invoice-today.js';
import { connect, migrateToLatest } from '../src/db/connect.js';
import type { CrmPort } from '../src/app/ports/crm.js';
import { presentInvoice } from '../src/http/invoices/presenter.js';
import { ensurePortal } from '../src/db/portals-repo.js';
import { cpuBetween, cpuSnapshot } from './lib/cpu.js';
import { databaseName, ensureBenchDatabase, redact } from './lib/database.js';
import { formatTable, percentile, shuffled } from './lib/stats.js';
import { runClients, type PoolResult } from './lib/workers.js';
import { intOption, runMain } from './lib/cli.js';

// Drafts are created from full bodies: createInvoice reads HubSpot only to copy from a CRM record.
const noCrm = new Proxy({}, { get: () => () => Promise.reject(new Error('the benchmark makes no CRM calls')) }) as CrmPort;

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/invoicing_bench';
const BUMP_SQL = 'UPDATE portal_settings SET next_number = next_number + 1 WHERE portal_id = ? RETURNING next_number';

interface Options {
  url: string;
  drafts: number;
  clients: number;
  portals: number;
  warmup: number;
  poolMax: number;
  maxSeconds: number;
  /** Finalize under an Idempotency-Key (claimed and answered in the finalize transaction). */
  keys: boolean;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      drafts: { type: 'string' },
      clients: { type: 'string' },
      portals: { type: 'string' },
      warmup: { type: 'string' },
      'pool-max': { type: 'string' },
      'max-seconds': { type: 'string' },
      url: { type: 'string' },
      'idempotency-keys': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run bench:numbering -- [--drafts N] [--clients C] [--portals P] [--warmup W] [--pool-max M] [--max-seconds S] [--url URL] [--idempotency-keys]',
    );
    process.exit(0);
  }
  const env = process.env;
  const clients = intOption('clients', values.clients ?? env.BENCH_CLIENTS, 16, 1);
  const opts: Options = {
    url: values.url ?? env.BENCH_DATABASE_URL ?? DEFAULT_URL,
    drafts: intOption('drafts', values.drafts ?? env.BENCH_DRAFTS, 2000, 1),
    clients,
    portals: intOption('portals', values.portals ?? env.BENCH_PORTALS, 100, 2),
    warmup: intOption('warmup', values.warmup ?? env.BENCH_WARMUP, 100, 0),
    poolMax: intOption('pool-max', values['pool-max'] ?? env.BENCH_POOL_MAX, Math.max(20, clients + 4), 1),
    maxSeconds: intOption('max-seconds', values['max-seconds'] ?? env.BENCH_MAX_SECONDS, 120, 1),
    keys: values['idempotency-keys'] ?? env.BENCH_IDEMPOTENCY_KEYS === '1',
  };
  if (opts.poolMax < opts.clients) throw new Error(`pool-max (${opts.poolMax}) must be >= clients (${opts.clients})`);
  return opts;
}

/** A valid draft: one line item and a buyer with name and email, so finalize accepts it. */
function draftInput(i: number): DraftInput {
  return {
    currency: 'USD',
    paymentTerms: 'net_30',
    lineItems: [{ name: `Benchmark service ${i}`, quantity: '2', unitPrice: 12_500, taxRate: '21' }],
    billTo: { name: `Bench Buyer ${i}`, email: `buyer${i}@example.com` },
  };
}

function actorFor(portalId: number): Actor {
  return { portalId, userId: 'bench', kind: 'system', scopes: [] };
}

/** `count` consecutive portal ids starting at a random base, none of them in use yet. */
async function freshPortalIds(db: Knex, count: number): Promise<number[]> {
  for (;;) {
    const base = randomInt(1_000_000, 2 ** 47 - count);
    const row = (await db('portals')
      .whereBetween('id', [base, base + count - 1])
      .count({ n: '*' })
      .first()) as { n: number | string };
    if (Number(row.n) === 0) return Array.from({ length: count }, (_, i) => base + i);
  }
}

interface Draft {
  portalId: number;
  id: string;
}

interface Scenario {
  label: string;
  /** Portals the drafts are finalized in. */
  portals: number[];
  /** Separate fresh portals for the bare counter transactions (so they leave no gap behind). */
  limitPortals: number[];
  warmupDrafts: Draft[];
  timedDrafts: Draft[];
  /** Drafts created per portal, for the leftover-draft check. */
  created: Map<number, number>;
  /** next_number of each portal right after creation. */
  startNumber: Map<number, number>;
}

interface Measured {
  ops: number;
  opsPerSec: number;
  p50: number;
  p99: number;
  cutShort: boolean;
  /** Whole-machine CPU busy % during the timed section (null off Linux). */
  machineBusyPct: number | null;
  /** Cores' worth of CPU used by this (client) process during the timed section. */
  benchCores: number;
}

async function readNextNumbers(db: Knex, portals: readonly number[]): Promise<Map<number, number>> {
  const rows = (await db('portal_settings').whereIn('portal_id', portals).select('portal_id', 'next_number')) as Array<{
    portal_id: number;
    next_number: number;
  }>;
  return new Map(rows.map((r) => [Number(r.portal_id), Number(r.next_number)]));
}

async function setUp(db: Knex, deps: Pick<Deps, 'db' | 'clock' | 'crm'>, label: string, portalCount: number, opts: Options): Promise<Scenario> {
  const ids = await freshPortalIds(db, portalCount * 2);
  const portals = ids.slice(0, portalCount);
  const limitPortals = ids.slice(portalCount);
  for (const id of ids) await ensurePortal(db, id, 'UTC');
  const startNumber = await readNextNumbers(db, portals);

  // Draft i goes to portal i mod P, so every portal gets the same share (warm-up included).
  const owners = Array.from({ length: opts.warmup + opts.drafts }, (_, i) => portals[i % portalCount]!);
  const drafts: Draft[] = new Array(owners.length);
  const created = new Map<number, number>();
  const made = await runClients(
    owners.map((portalId, i) => ({ portalId, i })),
    opts.clients,
    async ({ portalId, i }) => {
      const invoice = await createInvoice(deps, actorFor(portalId), draftInput(i));
      drafts[i] = { portalId, id: invoice.id };
      created.set(portalId, (created.get(portalId) ?? 0) + 1);
    },
  );
  if (made.errors.length) throw new Error(`${label}: creating drafts failed: ${String(made.errors[0])}`);
  console.log(
    `  ${label}: ${portalCount} portal(s) + ${portalCount} limit portal(s), ${drafts.length} drafts created in ${(made.elapsedMs / 1000).toFixed(1)} s`,
  );
  return {
    label,
    portals,
    limitPortals,
    warmupDrafts: drafts.slice(0, opts.warmup),
    // Shuffled so the clients hit portals in random order, as independent users would.
    timedDrafts: shuffled(drafts.slice(opts.warmup)),
    created,
    startNumber,
  };
}

/** Runs the timed section and samples CPU around it. */
async function timed(run: () => Promise<PoolResult>): Promise<Measured> {
  const before = cpuSnapshot();
  const r = await run();
  return { ...measured(r), ...cpuBetween(before, cpuSnapshot()) };
}

function measured(r: PoolResult): Omit<Measured, 'machineBusyPct' | 'benchCores'> {
  return {
    ops: r.ok,
    opsPerSec: r.ok / (r.elapsedMs / 1000),
    p50: percentile(r.latenciesMs, 50),
    p99: percentile(r.latenciesMs, 99),
    cutShort: r.cutShort,
  };
}

function reportErrors(what: string, r: PoolResult, problems: string[]): void {
  if (r.errors.length === 0) return;
  problems.push(`${what}: ${r.errors.length} operation(s) failed; first: ${String(r.errors[0])}`);
}

async function finalizePhase(
  deps: Pick<Deps, 'db' | 'clock'>,
  s: Scenario,
  opts: Options,
  finalized: Map<number, number>,
  problems: string[],
): Promise<Measured> {
  const op = async (d: Draft) => {
    // With keys, the key is claimed and the presented answer stored in the finalize transaction,
    // as POST /invoices/{id}/finalize does with an Idempotency-Key header.
    const run = opts.keys
      ? {
          idempotency: {
            portalId: d.portalId,
            actorKind: 'system',
            userId: 'bench',
            key: `bench-${d.id}`,
            hash: 'bench-finalize',
            response: (i: InvoiceToday) => ({ status: 200, body: presentInvoice(i, { today: i.today, publicBaseUrl: 'https://bench.invalid' }) }),
          },
        }
      : {};
    await finalizeInvoice(deps, actorFor(d.portalId), d.id, run);
    finalized.set(d.portalId, (finalized.get(d.portalId) ?? 0) + 1);
  };
  const warm = await runClients(s.warmupDrafts, opts.clients, op);
  reportErrors(`${s.label} finalize warm-up`, warm, problems);
  return timed(async () => {
    const r = await runClients(s.timedDrafts, opts.clients, op, { deadlineMs: opts.maxSeconds * 1000 });
    reportErrors(`${s.label} finalize`, r, problems);
    return r;
  });
}

async function limitPhase(db: Knex, s: Scenario, opts: Options, problems: string[]): Promise<Measured> {
  const start = await readNextNumbers(db, s.limitPortals);
  const bumps = new Map<number, number>();
  const op = async (portalId: number) => {
    await db.transaction(async (trx) => {
      await trx.raw(BUMP_SQL, [portalId]);
    });
    bumps.set(portalId, (bumps.get(portalId) ?? 0) + 1);
  };
  const owners = (n: number) => Array.from({ length: n }, (_, i) => s.limitPortals[i % s.limitPortals.length]!);
  const warm = await runClients(owners(opts.warmup), opts.clients, op);
  reportErrors(`${s.label} limit warm-up`, warm, problems);
  const items = shuffled(owners(opts.drafts));
  const result = await timed(async () => {
    const r = await runClients(items, opts.clients, op, { deadlineMs: opts.maxSeconds * 1000 });
    reportErrors(`${s.label} limit`, r, problems);
    return r;
  });
  // Sanity: every committed bump moved its counter by exactly one.
  const end = await readNextNumbers(db, s.limitPortals);
  for (const p of s.limitPortals) {
    const expected = start.get(p)! + (bumps.get(p) ?? 0);
    if (end.get(p) !== expected) problems.push(`${s.label} limit: portal ${p} next_number ${end.get(p)}, expected ${expected}`);
  }
  return result;
}

/**
 * Per portal: the issued number_seq values are exactly start, start+1, ... start+k-1 (k = the
 * finalizations that succeeded), unique, formatted prefix-seq, each with one finalized event;
 * next_number is start+k and the drafts not finalized are still drafts.
 */
async function checkGapless(db: Knex, s: Scenario, finalized: Map<number, number>): Promise<string[]> {
  const problems: string[] = [];
  const numbered = (await db('invoices')
    .whereIn('portal_id', s.portals)
    .whereNotNull('number')
    .select('portal_id', 'number', 'number_prefix', 'number_seq', 'status')
    .orderBy([{ column: 'portal_id' }, { column: 'number_seq' }])) as Array<{
    portal_id: number;
    number: string;
    number_prefix: string;
    number_seq: number;
    status: string;
  }>;
  const drafts = (await db('invoices')
    .whereIn('portal_id', s.portals)
    .where({ status: 'draft' })
    .groupBy('portal_id')
    .select('portal_id')
    .count({ n: '*' })) as Array<{ portal_id: number; n: number | string }>;
  const events = (await db('invoice_events')
    .whereIn('portal_id', s.portals)
    .where({ type: 'invoice.finalized' })
    .groupBy('portal_id')
    .select('portal_id')
    .count({ n: '*' })) as Array<{ portal_id: number; n: number | string }>;
  const next = await readNextNumbers(db, s.portals);
  const byPortal = new Map<number, typeof numbered>();
  for (const row of numbered) {
    const list = byPortal.get(Number(row.portal_id)) ?? [];
    list.push(row);
    byPortal.set(Number(row.portal_id), list);
  }
  const draftsLeft = new Map(drafts.map((r) => [Number(r.portal_id), Number(r.n)]));
  const eventCount = new Map(events.map((r) => [Number(r.portal_id), Number(r.n)]));

  for (const portal of s.portals) {
    const start = s.startNumber.get(portal)!;
    const k = finalized.get(portal) ?? 0;
    const rows = byPortal.get(portal) ?? [];
    const fail = (msg: string) => problems.push(`${s.label}: portal ${portal}: ${msg}`);
    if (rows.length !== k) fail(`${rows.length} numbered invoices, expected ${k}`);
    const seqs = rows.map((r) => Number(r.number_seq));
    if (new Set(seqs).size !== seqs.length) fail('duplicate number_seq values');
    const firstGap = seqs.findIndex((seq, i) => seq !== start + i);
    if (firstGap >= 0) fail(`number_seq ${seqs[firstGap]} at position ${firstGap}, expected ${start + firstGap} (gap or jump)`);
    const badText = rows.find((r) => r.number !== `${r.number_prefix}-${r.number_seq}` || r.status !== 'open');
    if (badText) fail(`invoice ${badText.number} (${badText.status}) does not match ${badText.number_prefix}-${badText.number_seq}/open`);
    if (next.get(portal) !== start + k) fail(`next_number ${next.get(portal)}, expected ${start + k} (last issued + 1)`);
    if ((eventCount.get(portal) ?? 0) !== k) fail(`${eventCount.get(portal) ?? 0} invoice.finalized events, expected ${k}`);
    const expectedDrafts = (s.created.get(portal) ?? 0) - k;
    if ((draftsLeft.get(portal) ?? 0) !== expectedDrafts) fail(`${draftsLeft.get(portal) ?? 0} drafts left, expected ${expectedDrafts}`);
  }
  return problems;
}

const cpuNote = (m: Measured) =>
  `cpu: machine ${m.machineBusyPct === null ? 'n/a' : `${m.machineBusyPct.toFixed(0)}% busy`}, bench process ${m.benchCores.toFixed(2)} cores`;

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

async function main(): Promise<number> {
  const opts = readOptions();
  const watchdog = setTimeout(
    () => {
      console.error('bench:numbering: overall time limit reached, aborting');
      process.exit(2);
    },
    (opts.maxSeconds * 4 + 600) * 1000,
  );
  watchdog.unref();

  const createdDb = await ensureBenchDatabase(opts.url);
  const db = connect({ url: opts.url }, { poolMax: opts.poolMax });
  try {
    const applied = await migrateToLatest(db);
    const version = ((await db.raw('SELECT version() AS v')) as { rows: Array<{ v: string }> }).rows[0]!.v;
    const syncCommit = ((await db.raw('SHOW synchronous_commit')) as { rows: Array<{ synchronous_commit: string }> }).rows[0]!.synchronous_commit;
    const fsync = ((await db.raw('SHOW fsync')) as { rows: Array<{ fsync: string }> }).rows[0]!.fsync;
    console.log('bench:numbering');
    console.log(`  database   ${redact(opts.url)}${createdDb ? ' (created)' : ''}, ${applied.length} migration(s) applied now`);
    console.log(`  server     ${version}`);
    console.log(`  settings   synchronous_commit=${syncCommit}, fsync=${fsync}`);
    console.log(
      `  node       ${process.version}, ${cpus().length} CPU(s), load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at start`,
    );
    console.log(
      `  workload   ${opts.drafts} timed ops per phase, ${opts.warmup} warm-up ops, ${opts.clients} clients, pool max ${opts.poolMax}, ${opts.portals} portals in B${opts.keys ? ', finalize under Idempotency-Keys' : ''}`,
    );
    if (databaseName(opts.url) !== 'invoicing_bench') console.log(`  note       non-default benchmark database "${databaseName(opts.url)}"`);

    const deps: Pick<Deps, 'db' | 'clock' | 'crm'> = { db, clock: () => new Date(), crm: noCrm };
    console.log('setup (untimed)');
    const scenarios = [await setUp(db, deps, 'one portal', 1, opts), await setUp(db, deps, `${opts.portals} portals`, opts.portals, opts)];

    const problems: string[] = [];
    const rows: string[][] = [];
    for (const s of scenarios) {
      const finalized = new Map<number, number>();
      const fin = await finalizePhase(deps, s, opts, finalized, problems);
      const gaps = await checkGapless(db, s, finalized);
      problems.push(...gaps);
      const total = [...finalized.values()].reduce((a, b) => a + b, 0);
      console.log(
        `  ${s.label}: finalize ${fin.ops} ops, ${fmt(fin.opsPerSec)} ops/s, p50 ${fmt(fin.p50, 2)} ms, p99 ${fmt(fin.p99, 2)} ms` +
          `${fin.cutShort ? ' (cut short by --max-seconds)' : ''}; ${cpuNote(fin)}; gapless check over ${s.portals.length} portal(s), ${total} numbers: ${gaps.length ? 'FAIL' : 'OK'}`,
      );
      const lim = await limitPhase(db, s, opts, problems);
      console.log(
        `  ${s.label}: limit    ${lim.ops} ops, ${fmt(lim.opsPerSec)} tx/s,  p50 ${fmt(lim.p50, 2)} ms, p99 ${fmt(lim.p99, 2)} ms${lim.cutShort ? ' (cut short by --max-seconds)' : ''}; ${cpuNote(lim)}`,
      );
      rows.push([
        s.label,
        fmt(fin.opsPerSec),
        fmt(lim.opsPerSec),
        fmt(fin.opsPerSec / lim.opsPerSec, 2),
        fmt(fin.p50, 2),
        fmt(fin.p99, 2),
        fmt(lim.p50, 2),
        fmt(lim.p99, 2),
        gaps.length ? 'FAIL' : 'OK',
      ]);
    }

    console.log('');
    console.log(
      formatTable(
        ['scenario', 'finalize ops/s', 'limit ops/s', 'ratio', 'finalize p50 ms', 'finalize p99 ms', 'limit p50 ms', 'limit p99 ms', 'gapless'],
        rows,
      ),
    );
    // Client and server share the machine: a busy neighbour shows up here and in the figures.
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at end`,
    );
    if (problems.length) {
      console.error(`FAIL: ${problems.length} problem(s)`);
      for (const p of problems.slice(0, 20)) console.error(`  - ${p}`);
      return 1;
    }
    console.log('OK: numbers gapless and unique in every portal, counters consistent');
    return 0;
  } finally {
    await db.destroy();
  }
}

runMain('bench:numbering', main);
