/**
 * Hosted invoice benchmark: milliseconds per PDF (10 and 200 lines, median of many renders), then
 * requests per second of the hosted page and of the PDF route against a trivial route (/healthz)
 * of the same server in the same run, so the ratio says what the page costs over a bare request.
 *
 *   npm run bench:pdf [-- --renders 200 --duration 5 --connections 10]
 *
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/invoicing_bench_pdf; created
 * when missing and migrated), BENCH_RENDERS, BENCH_DURATION, BENCH_CONNECTIONS. Flags win.
 * The server listens on 127.0.0.1 in this process; autocannon runs in a worker thread (one
 * connection pool, fixed concurrency), so load generator and server do not share an event loop.
 * Exits 1 when a route answers anything but 200 or renders are not byte-identical.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import type { Actor } from '../src/domain/actor.js';
import { createInvoice } from '../src/app/create-invoice.js';
import type { Deps } from '../src/app/deps.js';
import { finalizeInvoice } from '../src/app/finalize-invoice.js';
import { renderPdfOf } from '../src/app/invoice-pdf.js';
import { loadConfig } from '../src/config.js';
import { connect, migrateToLatest } from '../src/db/connect.js';
import { findInvoice } from '../src/db/invoices-repo.js';
import { ensurePortal } from '../src/db/portals-repo.js';
import type { CrmPort } from '../src/app/ports/crm.js';
import { createHubSpotServices } from '../src/composition/hubspot-services.js';
import { databaseName, ensureBenchDatabase, redact } from './lib/database.js';
import { formatTable, percentile } from './lib/stats.js';
import { intOption, runMain } from './lib/cli.js';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/invoicing_bench_pdf';

function readOptions() {
  const { values } = parseArgs({
    options: {
      renders: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log('usage: npm run bench:pdf -- [--renders N] [--duration S] [--connections C] [--url URL]');
    process.exit(0);
  }
  return {
    url: values.url ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_URL,
    renders: intOption('renders', values.renders ?? process.env.BENCH_RENDERS, 200, 5, 100_000),
    duration: intOption('duration', values.duration ?? process.env.BENCH_DURATION, 5, 1, 600),
    connections: intOption('connections', values.connections ?? process.env.BENCH_CONNECTIONS, 10, 1, 1000),
  };
}

const noCrm = new Proxy({}, { get: () => () => Promise.reject(new Error('the benchmark makes no CRM calls')) }) as CrmPort;

async function main(): Promise<void> {
  const opts = readOptions();
  await ensureBenchDatabase(opts.url);
  const db = connect({ url: opts.url }, { poolMax: 10 });
  let failed = false;
  const server = createServer();
  try {
    await migrateToLatest(db);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = loadConfig({
      DATABASE_URL: opts.url,
      API_TOKEN_SECRET: 'bench-secret-bench-secret-bench-secret-0000',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      HUBSPOT_CLIENT_ID: 'sandbox-client',
      HUBSPOT_CLIENT_SECRET: 'sandbox-client-secret',
      PUBLIC_BASE_URL: origin,
      LOG_LEVEL: 'silent',
      // The point is throughput, not the per-IP limit (every request comes from 127.0.0.1).
      HOSTED_RATE_LIMIT_PER_MINUTE: '1000000',
    });
    const deps: Deps = { db, config, logger: pino({ level: 'silent' }), clock: () => new Date(), crm: noCrm };
    server.on('request', createApp({ ...deps, hubspot: createHubSpotServices(deps) }));

    const portalId = 800_000_000_000 + Math.floor(Math.random() * 1e9);
    await ensurePortal(db, portalId, 'UTC');
    await db('portal_settings')
      .where({ portal_id: portalId })
      .update({
        brand: JSON.stringify({ name: 'Benchmark Seller BV', address: { line1: 'Keizersgracht 1', postalCode: '1015 AA', city: 'Amsterdam', country: 'NL' } }),
      });
    const actor: Actor = { portalId, userId: 'bench', kind: 'system', scopes: [] };
    const invoiceWith = async (lines: number) => {
      const draft = await createInvoice(deps, actor, {
        currency: 'EUR',
        paymentTerms: 'net_30',
        buyerComments: 'Thank you for your business.',
        billTo: {
          name: 'Bench Buyer',
          email: 'buyer@example.com',
          companyName: 'Buyer GmbH',
          address: { line1: 'Hauptstraße 5', city: 'Berlin', country: 'DE' },
        },
        lineItems: Array.from({ length: lines }, (_, i) => ({
          name: `Consulting service ${i + 1}`,
          description: 'Remote work, billed per hour',
          quantity: '1.5',
          unitPrice: 12_500 + i,
          taxRate: '19',
        })),
      });
      await finalizeInvoice(deps, actor, draft.id);
      return (await findInvoice(db, portalId, draft.id))!;
    };

    console.log(`hosted page and PDF benchmark — ${redact(opts.url)} (${databaseName(opts.url)}), ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`);
    const rows: string[][] = [];
    const invoices = { 10: await invoiceWith(10), 200: await invoiceWith(200) };
    for (const lines of [10, 200] as const) {
      const invoice = invoices[lines];
      const warmup = Math.min(20, opts.renders);
      const runs = lines === 200 ? Math.max(5, Math.floor(opts.renders / 4)) : opts.renders;
      const hashes = new Set<string>();
      const ms: number[] = [];
      let pages = 0;
      for (let i = 0; i < warmup + runs; i++) {
        const start = performance.now();
        const pdf = await renderPdfOf(invoice);
        const took = performance.now() - start;
        if (i >= warmup) ms.push(took);
        hashes.add(createHash('sha256').update(pdf.bytes).digest('hex'));
        pages = (pdf.bytes.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
      }
      if (hashes.size !== 1) {
        failed = true;
        console.error(`FAIL: ${lines}-line renders gave ${hashes.size} different files`);
      }
      rows.push([
        `${lines} lines`,
        String(runs),
        percentile(ms, 50).toFixed(2),
        percentile(ms, 95).toFixed(2),
        String(pages),
        hashes.size === 1 ? 'yes' : 'NO',
      ]);
    }
    console.log('\nPDF rendering (in process, sequential)');
    console.log(formatTable(['invoice', 'renders', 'median ms', 'p95 ms', 'pages', 'identical'], rows));

    const targets = [
      { name: 'trivial GET /healthz', path: '/healthz' },
      { name: 'hosted page (10 lines)', path: `/i/${invoices[10].publicToken}` },
      { name: 'hosted page (200 lines)', path: `/i/${invoices[200].publicToken}` },
      { name: 'PDF (10 lines)', path: `/i/${invoices[10].publicToken}/invoice.pdf` },
      { name: 'trivial GET /healthz (again)', path: '/healthz' },
    ];
    const http: string[][] = [];
    let trivial = 0;
    for (const target of targets) {
      const result = await autocannon({ url: origin + target.path, connections: opts.connections, duration: opts.duration, workers: 1 });
      if (result.non2xx > 0 || result.errors > 0) {
        failed = true;
        console.error(`FAIL: ${target.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      }
      const rps = result.requests.average;
      if (target.path === '/healthz' && trivial === 0) trivial = rps;
      http.push([target.name, rps.toFixed(0), (rps / trivial).toFixed(3), result.latency.p50.toFixed(1), result.latency.p99.toFixed(1), String(result.non2xx)]);
    }
    console.log(`\nHTTP on loopback (autocannon in a worker thread, ${opts.connections} connections, ${opts.duration} s each)`);
    console.log(formatTable(['route', 'req/s', 'x trivial', 'p50 ms', 'p99 ms', 'non-2xx'], http));
    console.log(failed ? '\nFAIL' : '\nOK');
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await db.destroy();
  }
  if (failed) process.exitCode = 1;
}

runMain('bench:pdf', main);
