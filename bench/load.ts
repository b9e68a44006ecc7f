/**
 * Load benchmark (autocannon, loopback only): the card's list endpoint (HubSpot-signed, as
 * `hubspot.fetch` calls it) and the hosted invoice page, each against a trivial endpoint
 * (`GET /healthz`) of the same service process in the same run, which is the limit.
 *
 *   npm run bench:load [-- --seconds 10 --connections 16 --invoices 25]
 *
 * The service runs as its own OS process (as in production) on PostgreSQL
 * (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/invoicing_load), in local CRM
 * sandbox mode, so the sample portal is installed by the real OAuth flow at boot. The load
 * generator shares the machine's cores with the service: figures are per machine, not per core.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SCOPES } from '../src/domain/actor.js';
import { issueApiToken } from '../src/app/api-tokens.js';
import { decodeSignedUri } from '../src/http/hubspot-signature.js';
import { SANDBOX_HUB_ID, SANDBOX_SEED_IDS } from '../tools/hubspot-sandbox/index.js';
import { SANDBOX_CLIENT_SECRET, v3Signature } from '../test/fakes/hubspot-signing.js';
import { TEST_SECRET } from '../test/helpers/app.js';
import { draftBody } from '../test/helpers/factories.js';
import { freePort, startService } from '../test/helpers/service-process.js';
import { ensureBenchDatabase, redact } from './lib/database.js';
import { intOption, runMain } from './lib/cli.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string' }, connections: { type: 'string' }, invoices: { type: 'string' } },
});
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/invoicing_load';
const seconds = intOption('seconds', values.seconds, 10, 1, 600);
const connections = intOption('connections', values.connections, 16, 1, 1000);
const invoices = intOption('invoices', values.invoices, 25, 1, 10_000);

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function measure(name: string, target: string, headers: Record<string, string> = {}): Promise<Figures> {
  const result = await autocannon({ url: target, connections, duration: seconds, headers });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function main(): Promise<void> {
  // Fresh every run: the sandbox portal's id is fixed, so invoices of earlier runs would pile up on the deal.
  await ensureBenchDatabase(url, { fresh: true });
  const service = await startService(url, await freePort(), {
    // The local sandbox on a real database must be asked for; its secret is the one this signs with.
    HUBSPOT_SANDBOX: 'true',
    HUBSPOT_CLIENT_ID: 'sandbox-client',
    HUBSPOT_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    // The per-IP limit on /i/* would measure the limiter, not the page.
    HOSTED_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  try {
    const token = issueApiToken(TEST_SECRET, { portalId: SANDBOX_HUB_ID, userId: '1', scopes: SCOPES });
    const dealId = SANDBOX_SEED_IDS.deals.usd;
    const api = (path: string, body?: object) =>
      fetch(`${service.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    // The hosted page's path, as the finalize answer gives it (hostedUrl).
    let hostedPath = '';
    for (let i = 0; i < invoices; i += 1) {
      const res = await api('/api/v1/invoices', draftBody({ associations: { contacts: ['101'], companies: [], deals: [dealId] } }));
      if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      if (i % 2 === 0) {
        const fin = await api(`/api/v1/invoices/${id}/finalize`);
        if (fin.status !== 200) throw new Error(`finalize failed: ${fin.status} ${await fin.text()}`);
        hostedPath = new URL(((await fin.json()) as { hostedUrl: string }).hostedUrl).pathname;
      }
    }

    // One signature serves the whole run: HubSpot's window is 5 minutes and the bench is shorter.
    const listPath = `/api/v1/records/deals/${dealId}/invoices?portalId=${SANDBOX_HUB_ID}&userId=1&userEmail=ada%40example.com&appId=1`;
    const ts = String(Date.now());
    const signature = v3Signature(SANDBOX_CLIENT_SECRET, 'GET', decodeSignedUri(`${service.url}${listPath}`), '', ts);
    const check = await fetch(`${service.url}${listPath}`, { headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': ts } });
    if (check.status !== 200) throw new Error(`card list request refused: ${check.status} ${await check.text()}`);
    const listed = ((await check.json()) as { data: unknown[] }).data.length;
    const hosted = await fetch(`${service.url}${hostedPath}`);
    const hostedOk = hosted.status === 200;

    const rows: Figures[] = [];
    rows.push(await measure('GET /healthz (limit)', `${service.url}/healthz`));
    rows.push(await measure('card list (signed)', `${service.url}${listPath}`, { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': ts }));
    if (hostedOk) rows.push(await measure('hosted page /i/:token', `${service.url}${hostedPath}`));
    else console.log(`hosted page answered ${hosted.status}: not measured`);

    const limit = rows[0]!.rps;
    console.log(
      `database ${redact(url)}; ${connections} connections, ${seconds} s each; ${invoices} invoices on deal ${dealId}, ${listed} in the card's list; node ${process.version}`,
    );
    console.log('| endpoint | req/s | p50 ms | p99 ms | non-2xx | errors | ratio to limit |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${(r.rps / limit).toFixed(2)} |`);
    if (rows.some((r) => r.non2xx > 0 || r.errors > 0)) process.exitCode = 1;
  } finally {
    service.child.kill('SIGTERM');
    await service.exited;
  }
}

runMain('bench:load', main);
