/**
 * `npm run bench:crm`: HubSpot calls per invoice created from deals with 1, 10, 100 and 250
 * line items, and the time to create a draft from a 100-line deal when every emulated HubSpot
 * call takes 50 ms more. The limit, measured in the same run: two sequential HubSpot round trips
 * (the record with its association ids, then the batch reads in parallel), which no
 * implementation that reads the deal before its line items can beat.
 * Loopback only; in-memory PGlite; bounded (RUNS creates per figure).
 */
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { SCOPES } from '../src/domain/actor.js';
import { issueApiToken } from '../src/app/api-tokens.js';
import { loadConfig } from '../src/config.js';
import { connect, migrateToLatest } from '../src/db/connect.js';
import { HubSpotCrmAdapter } from '../src/integrations/hubspot/crm-adapter.js';
import { defaultSeed, SANDBOX_SEED_IDS, startCrmSandbox } from '../tools/hubspot-sandbox/index.js';
import { createHubSpotServices } from '../src/composition/hubspot-services.js';
import { installedPortal } from '../test/helpers/hubspot-install.js';
import { runMain } from './lib/cli.js';

const LATENCY_MS = Number(process.env.LATENCY_MS ?? 50);
const RUNS = Number(process.env.RUNS ?? 15);
const PORTAL = 4242;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const sandbox = await startCrmSandbox({
    port: 0,
    clientId: 'sandbox-client',
    clientSecret: 'sandbox-client-secret',
    latencyMs: LATENCY_MS,
    seed: { ...defaultSeed(), hubId: PORTAL },
  });
  const line = (i: number) => ({ name: `Line ${i}`, quantity: '1', price: '10.00', hs_line_item_currency_code: 'USD' });
  // Reshape two seeded deals into the 1- and 10-line cases; 9004 has 100 lines and 9005 has 250.
  sandbox.store.setDealLineItems(
    PORTAL,
    SANDBOX_SEED_IDS.deals.eur,
    [line(1)].map((l) => ({ ...l, hs_line_item_currency_code: 'EUR' })),
  );
  sandbox.store.setDealLineItems(
    PORTAL,
    SANDBOX_SEED_IDS.deals.jpy,
    Array.from({ length: 10 }, (_, i) => ({ ...line(i), price: '1000', hs_line_item_currency_code: 'JPY' })),
  );
  const cases = [
    { lines: 1, dealId: SANDBOX_SEED_IDS.deals.eur },
    { lines: 10, dealId: SANDBOX_SEED_IDS.deals.jpy },
    { lines: 100, dealId: SANDBOX_SEED_IDS.deals.hundredLines },
    { lines: 250, dealId: SANDBOX_SEED_IDS.deals.manyLines },
  ];

  const db = connect({ memory: true });
  await migrateToLatest(db);
  const config = loadConfig({
    API_TOKEN_SECRET: 'bench-secret-bench-secret-bench-secret-000',
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    HUBSPOT_CLIENT_ID: 'sandbox-client',
    HUBSPOT_CLIENT_SECRET: 'sandbox-client-secret',
    DATABASE_URL: 'postgres://unused',
    HUBSPOT_API_BASE_URL: sandbox.url,
    LOG_LEVEL: 'silent',
  });
  const logger = pino({ level: 'silent' });
  const clock = () => new Date();
  const hubspot = createHubSpotServices({ db, config, logger, clock });
  const crm = new HubSpotCrmAdapter({ baseUrl: sandbox.url, accessToken: (p) => hubspot.tokens.accessTokenFor(p), logger });
  await installedPortal({ db, config, clock }, PORTAL, sandbox.store.issueTokens(PORTAL));
  const server = createApp({ db, config, logger, clock, crm, hubspot }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = issueApiToken(config.apiTokenSecret, { portalId: PORTAL, userId: 'bench', scopes: SCOPES });
  const create = async (dealId: string) => {
    const res = await fetch(`${base}/api/v1/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: { objectType: 'deals', objectId: dealId } }),
    });
    if (res.status !== 201) throw new Error(`create from deal ${dealId}: HTTP ${res.status} ${await res.text()}`);
  };

  console.log(`HubSpot calls per invoice created from a deal (emulator latency ${LATENCY_MS} ms, median of ${RUNS} creates):`);
  console.log('| line items | HubSpot calls | median ms per draft | limit ms (2 round trips) | ratio |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const c of cases) {
    sandbox.resetCallCount();
    await create(c.dealId); // warm-up, and the call count of one create
    const calls = sandbox.callCount();
    const times: number[] = [];
    const limits: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let started = performance.now();
      await create(c.dealId);
      times.push(performance.now() - started);
      // The limit: two sequential round trips to the same emulator with the same latency.
      started = performance.now();
      for (let trip = 0; trip < 2; trip++) {
        await fetch(`${sandbox.url}/crm/objects/2026-03/deals/${c.dealId}`, {
          headers: { authorization: `Bearer ${await hubspot.tokens.accessTokenFor(PORTAL)}` },
        });
      }
      limits.push(performance.now() - started);
    }
    const t = median(times);
    const l = median(limits);
    console.log(`| ${c.lines} | ${calls} | ${t.toFixed(1)} | ${l.toFixed(1)} | ${(t / l).toFixed(2)} |`);
  }
  server.close();
  await sandbox.close();
  await db.destroy();
}

runMain('bench:crm', main);
