// Issue 13, finding 3: outbound webhooks must not reach internal addresses. Each test here failed
// on the code before the fix (a resolve-then-fetch client, a block list missing IPv4-embedding
// IPv6 forms, loopback allowed by default, socket errors shown to the tenant).
import dc from 'node:diagnostics_channel';
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueWebhooks } from '../src/app/deliver-webhooks.js';
import { createWebhookHttpClient, type WebhookHttpClientOptions } from '../src/integrations/webhooks/http-client.js';
import { startWebhookReceiver, type WebhookReceiver } from './fakes/webhook-receiver.js';
import { newPortalId, testApp } from './helpers/app.js';
import { openTestDb } from './helpers/db.js';
import { invoiceIn } from './helpers/invoices.js';

let db: Knex;
const receivers: WebhookReceiver[] = [];
const clients: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  db = await openTestDb();
});
afterEach(async () => {
  await Promise.all([...receivers.splice(0).map((r) => r.close()), ...clients.splice(0).map((c) => c.close())]);
});
afterAll(async () => {
  await db.destroy();
});

async function receiver() {
  const r = await startWebhookReceiver();
  receivers.push(r);
  return { ...r, port: Number(new URL(r.url).port) };
}

function client(opts: WebhookHttpClientOptions = {}) {
  const c = createWebhookHttpClient(opts);
  clients.push(c);
  return c;
}

/** POSTs through `c`; resolves to the status or the failure's category (and its log detail). */
async function send(c: ReturnType<typeof client>, url: string, timeoutMs = 2_000): Promise<{ status?: number; category?: string; detail?: string }> {
  try {
    return await c.post({ url, body: '{"id":"x"}', headers: { 'content-type': 'application/json' }, timeoutMs });
  } catch (err) {
    const e = err as { category?: string; detail?: string; message?: string };
    return { category: e.category ?? `not categorised: ${e.message}`, ...(e.detail ? { detail: e.detail } : {}) };
  }
}

/**
 * Replaces the system resolver (`dns.lookup`, which Node's sockets use, and its promise form) with
 * a rebinding one for `host`: each answer comes from `answers` in turn, the last one repeating.
 */
async function withRebindingDns<T>(host: string, answers: string[], run: (asked: () => number) => Promise<T>): Promise<T> {
  const lookup = dns.lookup;
  const promisesLookup = dns.promises.lookup;
  let asked = 0;
  const next = () => answers[Math.min(asked++, answers.length - 1)]!;
  const fake = ((name: string, options: unknown, callback?: unknown) => {
    const cb = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
    if (name !== host) return (lookup as (...a: unknown[]) => void)(name, options, callback);
    const address = next();
    const family = address.includes(':') ? 6 : 4;
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    process.nextTick(() => (all ? cb(null, [{ address, family }]) : cb(null, address, family)));
  }) as typeof dns.lookup;
  dns.lookup = fake;
  dns.promises.lookup = (async (name: string, options?: { all?: boolean }) => {
    if (name !== host) return promisesLookup(name, options as never);
    const address = next();
    const entry = { address, family: address.includes(':') ? 6 : 4 };
    return options?.all ? [entry] : entry;
  }) as typeof dns.promises.lookup;
  syncBuiltinESMExports();
  try {
    return await run(() => asked);
  } finally {
    dns.lookup = lookup;
    dns.promises.lookup = promisesLookup;
    syncBuiltinESMExports();
  }
}

/**
 * Records the address of every HTTP connection undici makes (the client's and `fetch`'s), and cuts
 * any that is not to this machine at once, so no test sends anything off it.
 */
function watchConnections(run: (connected: string[]) => Promise<void>): Promise<void> {
  const connected: string[] = [];
  const onConnected = (message: unknown) => {
    const socket = (message as { socket: Socket }).socket;
    connected.push(String(socket.remoteAddress));
    if (socket.remoteAddress !== '127.0.0.1' && socket.remoteAddress !== '::1') socket.destroy();
  };
  dc.subscribe('undici:client:connected', onConnected);
  return run(connected).finally(() => dc.unsubscribe('undici:client:connected', onConnected));
}

describe('DNS rebinding: the address checked is the address connected to', () => {
  it('a name that answers public, then 127.0.0.1: resolved once, never connected to this machine', async () => {
    const local = await receiver();
    const c = client();
    await watchConnections(async (connected) => {
      await withRebindingDns('rebind.test', ['93.184.216.34', '127.0.0.1'], async (asked) => {
        const result = await send(c, `http://rebind.test:${local.port}/hooks`, 1_000);
        expect(result.status).toBeUndefined();
        // One resolution, checked and connected to; the loopback answer is never used.
        expect(asked()).toBe(1);
      });
      expect(local.received).toEqual([]);
      expect(
        connected.every((a) => a === '93.184.216.34'),
        JSON.stringify(connected),
      ).toBe(true);
    });
  });

  it('a name that answers 127.0.0.1 (allowed by the flag), then the metadata address: the request goes to the checked one, the next connection is refused', async () => {
    const local = await receiver();
    const answers = ['127.0.0.1', '169.254.169.254'];
    const asked: string[] = [];
    const c = client({
      allowLoopback: true,
      resolveHost: async (host) => {
        asked.push(host);
        return [answers[Math.min(asked.length - 1, 1)]!];
      },
    });
    expect(await send(c, `http://rebind.test:${local.port}/hooks`)).toEqual({ status: 200 });
    expect(local.received).toHaveLength(1);
    expect(asked).toEqual(['rebind.test']);
    // A new connection (another port, so the pooled one is not reused) resolves again and is refused.
    const other = await receiver();
    expect(await send(c, `http://rebind.test:${other.port}/hooks`)).toMatchObject({
      category: 'refused_address',
      detail: expect.stringContaining('169.254.169.254'),
    });
    expect(other.received).toEqual([]);
  });

  it('a name with any special address among its answers is refused outright', async () => {
    const local = await receiver();
    const c = client({ allowLoopback: true, resolveHost: async () => ['127.0.0.1', '10.0.0.7'] });
    expect(await send(c, `http://mixed.test:${local.port}/hooks`)).toMatchObject({ category: 'refused_address' });
    expect(local.received).toEqual([]);
  });
});

/** IPv4-embedding IPv6 forms of internal addresses (and fec0::/10), as URL hosts. */
const EMBEDDED = [
  '[::127.0.0.1]',
  '[::a9fe:a9fe]',
  '[::ffff:0:127.0.0.1]',
  '[::ffff:0:a9fe:a9fe]',
  '[64:ff9b::127.0.0.1]',
  '[64:ff9b::a9fe:a9fe]',
  '[64:ff9b:1::a9fe:a9fe]',
  '[2002:7f00:1::1]',
  '[2002:a9fe:a9fe::1]',
  '[2001:0:4136:e378:8000:63bf:80ff:fffe]',
  '[fec0::1]',
  '[::ffff:169.254.169.254]',
];

describe('IPv4-embedding IPv6 forms', () => {
  it.each(EMBEDDED)('%s is refused at registration (400 naming url), even with loopback allowed', async (host) => {
    for (const env of [{}, { WEBHOOK_ALLOW_LOOPBACK: 'true' }] as Array<Record<string, string>>) {
      const portal = newPortalId();
      const res = await testApp(db, { env })
        .as(portal)
        .post('/api/v1/webhook-endpoints', { url: `https://${host}/hooks` });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'url', message: expect.stringMatching(/private|special|loopback/) }]);
      expect(await db('webhook_endpoints').where({ portal_id: portal })).toEqual([]);
    }
  });

  it('each is refused at send time, as a literal and as what a name resolves to, even with loopback allowed', async () => {
    const local = await receiver();
    const literal = client({ allowLoopback: true });
    for (const host of EMBEDDED) {
      expect(await send(literal, `http://${host}:${local.port}/hooks`), host).toMatchObject({ category: 'refused_address' });
      const resolvesTo = client({ allowLoopback: true, resolveHost: async () => [host.slice(1, -1)] });
      expect(await send(resolvesTo, `http://embedded.test:${local.port}/hooks`), host).toMatchObject({ category: 'refused_address' });
    }
    expect(local.received).toEqual([]);
  });
});

describe('loopback', () => {
  it('is refused by default, at registration and at send time, by literal or by name', async () => {
    const local = await receiver();
    const portal = newPortalId();
    const api = testApp(db).as(portal);
    for (const url of [
      local.url,
      `http://localhost:${local.port}/x`,
      'https://127.0.0.1/x',
      'https://[::1]/x',
      'https://127.0.0.2/x',
      'https://[::ffff:127.0.0.1]/x',
    ]) {
      const res = await api.post('/api/v1/webhook-endpoints', { url });
      expect(res.status, url).toBe(400);
      expect(res.body.error.details[0].path).toBe('url');
    }
    expect(await db('webhook_endpoints').where({ portal_id: portal })).toEqual([]);

    const strict = client();
    expect(await send(strict, local.url)).toMatchObject({ category: 'refused_address' });
    expect(await send(strict, `http://localhost:${local.port}/x`)).toMatchObject({ category: 'refused_address' });
    expect(local.received).toEqual([]);
  });

  it('is allowed, and only loopback, with WEBHOOK_ALLOW_LOOPBACK=true', async () => {
    const local = await receiver();
    const api = testApp(db, { env: { WEBHOOK_ALLOW_LOOPBACK: 'true' } }).as(newPortalId());
    expect((await api.post('/api/v1/webhook-endpoints', { url: local.url })).status).toBe(201);
    expect((await api.post('/api/v1/webhook-endpoints', { url: 'https://10.0.0.7/x' })).status).toBe(400);

    const open = client({ allowLoopback: true, resolveHost: async () => ['127.0.0.1'] });
    expect(await send(open, local.url)).toEqual({ status: 200 });
    expect(await send(open, `http://localhost:${local.port}/x`)).toEqual({ status: 200 });
    expect(local.received).toHaveLength(2);
    const notLoopback = client({ allowLoopback: true, resolveHost: async () => ['192.168.1.1'] });
    expect(await send(notLoopback, `http://lan.test:${local.port}/x`)).toMatchObject({ category: 'refused_address' });
  });
});

describe('what the tenant sees of a failed delivery', () => {
  it('coarse categories only: a refused connection is network_error, never the socket error; the detail goes to the log', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const t = testApp(db, { env: { WEBHOOK_ALLOW_LOOPBACK: 'true' } });
    const portal = newPortalId();
    const api = t.as(portal);
    const gone = await receiver();
    const failing = await startWebhookReceiver(() => ({ status: 503 }));
    receivers.push(failing);
    for (const url of [gone.url, failing.url]) expect((await api.post('/api/v1/webhook-endpoints', { url })).status).toBe(201);
    await gone.close();
    await invoiceIn(api, 'open');
    const webhookHttp = client({ allowLoopback: true });
    const run = await deliverDueWebhooks(
      { db, config: t.deps.config, logger, clock: () => new Date(), webhookHttp },
      { timeoutMs: 2_000, portalIds: [portal] },
    );
    expect(run).toMatchObject({ attempted: 2, retrying: 2 });

    const endpoints = (await api.get('/api/v1/webhook-endpoints')).body.data as Array<{ id: string; url: string }>;
    const shown: Record<string, unknown> = {};
    for (const e of endpoints) {
      const res = await api.get(`/api/v1/webhook-endpoints/${e.id}/deliveries`);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|connect |127\.0\.0\.1:/);
      shown[e.url === gone.url ? 'gone' : 'failing'] = { lastError: res.body.data[0].lastError, attempt: res.body.data[0].attemptLog[0].error };
    }
    expect(shown).toEqual({ gone: { lastError: 'network_error', attempt: 'network_error' }, failing: { lastError: 'http_503', attempt: 'http_503' } });
    const stored = await db('webhook_delivery_attempts').where({ portal_id: portal }).pluck('error');
    expect(stored.sort()).toEqual(['http_503', 'network_error']);
    // The operator still sees why.
    expect(lines.join('')).toContain('ECONNREFUSED');
  });

  it('the database refuses free text as an error', async () => {
    const t = testApp(db, { env: { WEBHOOK_ALLOW_LOOPBACK: 'true' } });
    const portal = newPortalId();
    const api = t.as(portal);
    expect((await api.post('/api/v1/webhook-endpoints', { url: 'https://hooks.example.com/x' })).status).toBe(201);
    await invoiceIn(api, 'open');
    await expect(db('webhook_deliveries').where({ portal_id: portal }).update({ last_error: 'connect ECONNREFUSED 10.0.0.7:5432' })).rejects.toThrow(
      /check constraint/,
    );
    await expect(db('webhook_deliveries').where({ portal_id: portal }).update({ last_error: 'http_418' })).resolves.toBe(1);
  });
});
