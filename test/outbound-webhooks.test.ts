import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../src/domain/actor.js';
import { deliverDueWebhooks, WEBHOOK_DELIVERY_JOB, type DeliveryOptions } from '../src/app/deliver-webhooks.js';
import { emitOverdueEvents, WEBHOOK_OVERDUE_JOB } from '../src/app/emit-overdue-events.js';
import { finalizeInvoice } from '../src/app/finalize-invoice.js';
import { InProcessQueue } from '../src/jobs/in-process-queue.js';
import { PgBossQueue } from '../src/jobs/pg-boss-queue.js';
import { createWebhookHttpClient, type ResolveHost } from '../src/integrations/webhooks/http-client.js';
import { registerWebhookJobs, startWebhookSchedule } from '../src/jobs/webhook-jobs.js';
import { startWebhookReceiver, verifySignature, type Behaviour, type ReceivedWebhook, type WebhookReceiver } from './fakes/webhook-receiver.js';
import { newPortalId, testApp, type Api } from './helpers/app.js';
import { onServer, openTestDb } from './helpers/db.js';
import { draftBody } from './helpers/factories.js';
import { invoiceIn } from './helpers/invoices.js';

// Workers here are limited to this file's portals (FAST.portalIds): a worker serves every portal,
// and other test files (the permission matrix) leave deliveries of their own portals behind.
const logger = pino({ level: 'silent' });
let db: Knex;
let t: ReturnType<typeof testApp>;

/** A clock the tests move forward; it starts at the real time (deliveries are stamped by the database). */
let nowMs = Date.now();
const clock = () => new Date(nowMs);
const advance = (ms: number) => {
  nowMs += ms;
};

/** This file's portals: its workers deliver only theirs (other test files share the database). */
const portals: number[] = [];
/**
 * Fast settings: a short timeout and retries due one second per attempt later. The timeout leaves
 * room for the client's first connection on a busy machine (undici compiles its HTTP parser then).
 */
const FAST: DeliveryOptions = { timeoutMs: 2_000, retryDelayMs: (n) => 1000 * n, leaseMs: 5_000, portalIds: portals };
const worker = (resolveHost?: ResolveHost) => ({
  db,
  config: t.deps.config,
  logger,
  clock,
  webhookHttp: createWebhookHttpClient({ allowLoopback: true, ...(resolveHost ? { resolveHost } : {}) }),
});
const deliver = (opts: DeliveryOptions = {}, resolveHost?: ResolveHost) => deliverDueWebhooks(worker(resolveHost), { ...FAST, ...opts });

const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  db = await openTestDb();
  // The receivers are local servers: loopback must be allowed explicitly (it is off by default).
  t = testApp(db, { clock, env: { WEBHOOK_ALLOW_LOOPBACK: 'true' } });
});
afterEach(async () => {
  // Endpoints go (with their pending deliveries), so no test's leftovers reach the next one's worker.
  if (portals.length > 0) await db('webhook_endpoints').whereIn('portal_id', portals.splice(0)).delete();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await db.destroy();
});

/** A portal with one endpoint pointing at a fresh receiver. */
async function portalWithEndpoint(behave?: (req: ReceivedWebhook) => Behaviour, events?: string[]) {
  const portal = newPortalId();
  portals.push(portal);
  const api = t.as(portal);
  const receiver = await startWebhookReceiver(behave);
  receivers.push(receiver);
  const res = await api.post('/api/v1/webhook-endpoints', { url: receiver.url, ...(events ? { events } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { portal, api, receiver, endpointId: res.body.id as string, secret: res.body.secret as string };
}

async function events(portal: number) {
  return db('webhook_events')
    .where({ portal_id: portal })
    .orderBy([{ column: 'occurred_at' }, { column: 'type' }]);
}

async function deliveriesOf(api: Api, endpointId: string) {
  const res = await api.get(`/api/v1/webhook-endpoints/${endpointId}/deliveries`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as Array<Record<string, any>>;
}

describe('the outbox', () => {
  it('records invoice changes as events in their own transaction and delivers them signed', async () => {
    const { portal, api, receiver, endpointId, secret } = await portalWithEndpoint();
    const a = await invoiceIn(api, 'open');
    expect((await api.post(`/api/v1/invoices/${a.id}/payments`, { amount: 5000, method: 'bank_transfer' })).status).toBe(201);
    expect((await api.post(`/api/v1/invoices/${a.id}/payments`, { amount: a.total - 5000, method: 'cash' })).body.status).toBe('paid');
    const b = await invoiceIn(api, 'void', {}, { voidReason: 'Duplicate' });
    // A draft edit is not an event.
    const draft = await api.post('/api/v1/invoices', draftBody());
    expect((await api.patch(`/api/v1/invoices/${draft.body.id}`, { version: 1, buyerComments: 'x' })).status).toBe(200);

    const stored = await events(portal);
    expect(stored.map((e) => [e.type, e.invoice_id])).toEqual([
      ['invoice.finalized', a.id],
      ['invoice.partially_paid', a.id],
      ['invoice.paid', a.id],
      ['invoice.finalized', b.id],
      ['invoice.voided', b.id],
    ]);

    expect(await deliver()).toMatchObject({ delivered: 5, retrying: 0, failed: 0 });
    // Sent concurrently: order is not promised, the set is.
    expect(receiver.received.map((r) => r.body.type).sort()).toEqual(stored.map((e) => e.type).sort());
    for (const hook of receiver.received) {
      expect(verifySignature(secret, hook)).toBe(Math.floor(nowMs / 1000));
      expect(() => verifySignature(`${secret}x`, hook)).toThrow('signature mismatch');
      expect(hook.headers['invoicing-event-id']).toBe(hook.body.id);
      expect(hook.headers['invoicing-event-type']).toBe(hook.body.type);
      expect(hook.headers['content-type']).toBe('application/json');
      expect(hook.body.portalId).toBe(portal);
    }
    expect(new Set(receiver.ids())).toEqual(new Set(stored.map((e) => e.id)));
    const byType = (type: string) => receiver.received.find((r) => r.body.type === type)!.body.data.invoice;
    expect(byType('invoice.partially_paid')).toEqual({
      id: a.id,
      number: a.number,
      status: 'open',
      previousStatus: 'open',
      currency: 'USD',
      total: a.total,
      amountPaid: 5000,
      balanceDue: a.total - 5000,
      invoiceDate: '2026-11-28',
      dueDate: '2026-12-28',
      hostedUrl: expect.stringMatching(/^https:\/\/invoices\.test\/i\/.+/),
    });
    expect(byType('invoice.paid')).toMatchObject({ status: 'paid', previousStatus: 'open', amountPaid: a.total, balanceDue: 0 });
    expect(byType('invoice.voided')).toMatchObject({ id: b.id, status: 'void', previousStatus: 'open' });

    const log = await deliveriesOf(api, endpointId);
    expect(log).toHaveLength(5);
    for (const d of log) {
      expect(d).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200, lastError: null, nextAttemptAt: null });
      expect(d.attemptLog).toEqual([
        { attempt: 1, attemptedAt: expect.any(String), durationMs: expect.any(Number), status: 200, error: null, outcome: 'delivered' },
      ]);
    }
    // Delivered means done: the next run sends nothing again.
    advance(60_000);
    await deliver();
    expect(receiver.received).toHaveLength(5);
  });

  it('writes nothing when the change rolls back', async () => {
    const { portal, api } = await portalWithEndpoint();
    const draft = (await api.post('/api/v1/invoices', draftBody())).body;
    const actor = { portalId: portal, userId: '1', kind: 'api_token' as const, scopes: SCOPES };
    await expect(
      db.transaction(async (trx) => {
        await finalizeInvoice({ db: trx, clock }, actor, draft.id);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await events(portal)).toEqual([]);
    expect(await db('webhook_deliveries').where({ portal_id: portal })).toEqual([]);
    expect((await api.get(`/api/v1/invoices/${draft.id}`)).body.status).toBe('draft');
  });

  it('sends each endpoint the types it subscribed to, from the moment it existed, and nothing to other portals', async () => {
    const paidOnly = await portalWithEndpoint(undefined, ['invoice.paid']);
    const all = await startWebhookReceiver();
    receivers.push(all);
    expect((await paidOnly.api.post('/api/v1/webhook-endpoints', { url: all.url })).status).toBe(201);
    const other = await portalWithEndpoint();

    await invoiceIn(paidOnly.api, 'paid');
    const late = await startWebhookReceiver();
    receivers.push(late);
    expect((await paidOnly.api.post('/api/v1/webhook-endpoints', { url: late.url })).status).toBe(201);

    await deliver();
    expect(paidOnly.receiver.received.map((r) => r.body.type)).toEqual(['invoice.paid']);
    expect(all.received.map((r) => r.body.type).sort()).toEqual(['invoice.finalized', 'invoice.paid']);
    // One event, one id, whichever endpoint receives it.
    expect(all.received.find((r) => r.body.type === 'invoice.paid')!.body.id).toBe(paidOnly.receiver.received[0]!.body.id);
    expect(late.received).toEqual([]);
    expect(other.receiver.received).toEqual([]);
  });
});

describe('delivery', () => {
  it('retries a failing receiver with backoff, with the same event id each time, and logs every attempt', async () => {
    const { api, receiver, endpointId } = await portalWithEndpoint((req) => ({ status: req.n <= 2 ? 500 : 204 }));
    await invoiceIn(api, 'open');
    expect(await deliver()).toMatchObject({ attempted: 1, retrying: 1 });
    // Not due before its backoff.
    expect(await deliver()).toMatchObject({ attempted: 0 });
    advance(1_000);
    expect(await deliver()).toMatchObject({ attempted: 1, retrying: 1 });
    advance(1_999);
    expect(await deliver()).toMatchObject({ attempted: 0 });
    advance(1);
    expect(await deliver()).toMatchObject({ attempted: 1, delivered: 1 });

    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.ids()).size).toBe(1);
    expect(receiver.received.map((r) => r.headers['invoicing-delivery-attempt'])).toEqual(['1', '2', '3']);
    // The body is the same bytes every time; only the signature's timestamp moves.
    expect(new Set(receiver.received.map((r) => r.raw)).size).toBe(1);
    const [d] = await deliveriesOf(api, endpointId);
    expect(d).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 204, lastError: null });
    expect(d!.attemptLog.map((a: { status: number; outcome: string; error: string | null }) => [a.status, a.outcome, a.error])).toEqual([
      [500, 'retrying', 'http_500'],
      [500, 'retrying', 'http_500'],
      [204, 'delivered', null],
    ]);
  });

  it('gives up after its attempts and marks the delivery failed; redirects and refused connections count as failures', async () => {
    const { api, receiver, endpointId } = await portalWithEndpoint(() => ({ status: 302 }));
    await invoiceIn(api, 'open');
    for (let i = 0; i < 3; i += 1) {
      await deliver({ maxAttempts: 3 });
      advance(10_000);
    }
    await deliver({ maxAttempts: 3 });
    expect(receiver.received).toHaveLength(3);
    const [d] = await deliveriesOf(api, endpointId);
    expect(d).toMatchObject({ state: 'failed', attempts: 3, lastStatus: 302, nextAttemptAt: null });
    expect(d!.attemptLog.map((a: { outcome: string }) => a.outcome)).toEqual(['retrying', 'retrying', 'failed']);

    // Nobody listening: the connection is refused, a failed attempt shown as a coarse network_error.
    const gone = await portalWithEndpoint();
    await gone.receiver.close();
    await invoiceIn(gone.api, 'open');
    expect(await deliver()).toMatchObject({ retrying: 1 });
    const [refused] = await deliveriesOf(gone.api, gone.endpointId);
    expect(refused).toMatchObject({ state: 'pending', attempts: 1, lastStatus: null, lastError: 'network_error' });
  });

  it('counts a receiver slower than the timeout as a failed attempt and retries it', async () => {
    const { api, receiver, endpointId } = await portalWithEndpoint((req) => (req.n === 1 ? { status: 200, delayMs: 5_000 } : { status: 200 }));
    await invoiceIn(api, 'open');
    const started = Date.now();
    expect(await deliver({ timeoutMs: 200 })).toMatchObject({ retrying: 1 });
    // The worker gave up on the answer rather than waiting the 5 s for it.
    expect(Date.now() - started).toBeLessThan(4_000);
    let [d] = await deliveriesOf(api, endpointId);
    expect(d).toMatchObject({ state: 'pending', attempts: 1, lastStatus: null, lastError: 'timeout' });
    advance(1_000);
    expect(await deliver({ timeoutMs: 200 })).toMatchObject({ delivered: 1 });
    [d] = await deliveriesOf(api, endpointId);
    expect(d).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.body.id).toBe(receiver.received[1]!.body.id);
  });

  it('loses nothing when the worker is stopped in the middle of a batch: the next one sends it all, same ids', async () => {
    const { portal, api, receiver } = await portalWithEndpoint(() => 'hold');
    for (let i = 0; i < 3; i += 1) await invoiceIn(api, 'open');
    const shutdown = new AbortController();
    const first = deliverDueWebhooks(worker(), { ...FAST, timeoutMs: 10_000, signal: shutdown.signal });
    await receiver.waitFor(3);
    shutdown.abort();
    expect(await first).toMatchObject({ attempted: 0 });
    // Handed back without counting an attempt: due again at once.
    expect(await db('webhook_deliveries').where({ portal_id: portal }).select('state', 'attempts', 'lease_id')).toEqual(
      Array.from({ length: 3 }, () => ({ state: 'pending', attempts: 0, lease_id: null })),
    );
    receiver.setBehaviour(() => ({ status: 200 }));
    expect(await deliver()).toMatchObject({ delivered: 3 });
    const eventIds = (await events(portal)).map((e) => e.id).sort();
    expect([...new Set(receiver.ids())].sort()).toEqual(eventIds);
    expect(receiver.received).toHaveLength(6);
  });

  it('loses nothing when a worker dies in the middle: its lease runs out and another worker delivers', async () => {
    const { portal, api, receiver } = await portalWithEndpoint(() => 'hold');
    for (let i = 0; i < 3; i += 1) await invoiceIn(api, 'open');
    // The first worker sends and then "dies": it never gets an answer in time and records nothing.
    const dead = deliverDueWebhooks(worker(), { ...FAST, timeoutMs: 30_000 });
    await receiver.waitFor(3);
    receiver.setBehaviour(() => ({ status: 200 }));
    // Its lease still holds: nobody else may send these yet.
    expect(await deliver()).toMatchObject({ attempted: 0 });
    advance(5_000);
    expect(await deliver()).toMatchObject({ delivered: 3 });
    const eventIds = (await events(portal)).map((e) => e.id).sort();
    expect([...new Set(receiver.ids())].sort()).toEqual(eventIds);

    // The first worker wakes up: its late results do not overwrite the new owner's.
    receiver.releaseHeld(500);
    await dead;
    const rows = await db('webhook_deliveries').where({ portal_id: portal });
    expect(rows.map((r) => [r.state, r.attempts, r.last_status])).toEqual(Array.from({ length: 3 }, () => ['delivered', 1, 200]));
  });

  it('lets two workers run at once without sending any delivery twice', async () => {
    const { portal, api, receiver } = await portalWithEndpoint((req) => ({ status: 200, delayMs: req.n % 3 === 0 ? 50 : 0 }));
    for (let i = 0; i < 6; i += 1) await invoiceIn(api, 'open');
    const runs = await Promise.all([deliver({ batchSize: 2 }), deliver({ batchSize: 2 })]);
    expect(runs[0]!.delivered + runs[1]!.delivered).toBe(6);
    expect(receiver.received).toHaveLength(6);
    expect(new Set(receiver.ids()).size).toBe(6);
    expect((await db('webhook_deliveries').where({ portal_id: portal })).every((r) => r.state === 'delivered' && r.attempts === 1)).toBe(true);
  });

  it('does not call an endpoint the configuration no longer allows (loopback in production)', async () => {
    const { api, receiver, endpointId } = await portalWithEndpoint();
    await invoiceIn(api, 'open');
    const prodConfig = { ...t.deps.config, webhooks: { allowLoopback: false } };
    expect(await deliverDueWebhooks({ ...worker(), config: prodConfig }, FAST)).toMatchObject({ retrying: 1 });
    expect(receiver.received).toEqual([]);
    const [d] = await deliveriesOf(api, endpointId);
    expect(d).toMatchObject({ state: 'pending', attempts: 1, lastError: 'refused_address' });
  });

  it('does not call a host name that resolves to a private address (DNS rebinding), nor one that does not resolve', async () => {
    const portal = newPortalId();
    portals.push(portal);
    const api = t.as(portal);
    const created = await api.post('/api/v1/webhook-endpoints', { url: 'https://hooks.example.com/invoices' });
    expect(created.status).toBe(201);
    await invoiceIn(api, 'open');
    const asked: string[] = [];
    // Nothing is sent anywhere: the check refuses before any connection.
    const rebinding = async (host: string) => {
      asked.push(host);
      return ['93.184.216.34', '10.0.0.7'];
    };
    expect(await deliver({}, rebinding)).toMatchObject({ retrying: 1 });
    expect(asked).toEqual(['hooks.example.com']);
    let [d] = await deliveriesOf(api, created.body.id as string);
    expect(d).toMatchObject({ state: 'pending', attempts: 1, lastError: 'refused_address' });

    advance(60_000);
    const nxdomain = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await deliver({}, nxdomain)).toMatchObject({ retrying: 1 });
    [d] = await deliveriesOf(api, created.body.id as string);
    expect(d).toMatchObject({ attempts: 2, lastError: 'network_error' });
  });

  it('drops a delivery whose endpoint is deleted while it is in flight', async () => {
    const { portal, api, receiver, endpointId } = await portalWithEndpoint(() => 'hold');
    await invoiceIn(api, 'open');
    const run = deliver({ timeoutMs: 10_000 });
    await receiver.waitFor(1);
    expect((await api.delete(`/api/v1/webhook-endpoints/${endpointId}`)).status).toBe(204);
    receiver.releaseHeld(200);
    await expect(run).resolves.toMatchObject({ attempted: 1 });
    expect(await db('webhook_deliveries').where({ portal_id: portal })).toEqual([]);
  });

  it('pages the delivery log', async () => {
    const { api, endpointId } = await portalWithEndpoint();
    for (let i = 0; i < 3; i += 1) await invoiceIn(api, 'open');
    const first = await api.get(`/api/v1/webhook-endpoints/${endpointId}/deliveries?limit=2`);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.get(`/api/v1/webhook-endpoints/${endpointId}/deliveries?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.data, ...second.body.data].map((d: { eventId: string }) => d.eventId);
    expect(new Set(ids).size).toBe(3);
    expect((await api.get(`/api/v1/webhook-endpoints/${endpointId}/deliveries?cursor=nonsense`)).status).toBe(400);
    expect((await api.get(`/api/v1/webhook-endpoints/${endpointId}/deliveries?limit=500`)).status).toBe(400);
  });
});

describe('through the job queue', () => {
  it('delivers from the queue job, and a new queue after a restart finishes what the old one left', async () => {
    const { portal, api, receiver } = await portalWithEndpoint(() => 'hold');
    for (let i = 0; i < 2; i += 1) await invoiceIn(api, 'open');
    const before = new InProcessQueue({ logger, now: () => nowMs });
    const handle = await registerWebhookJobs({ ...worker(), jobs: before }, FAST);
    await before.enqueue(WEBHOOK_DELIVERY_JOB, {}, { singletonKey: WEBHOOK_DELIVERY_JOB });
    const running = before.runDue();
    await receiver.waitFor(2);
    // Shutdown as main.ts does it: cut the requests in flight, then stop the queue.
    handle.abort();
    await running;
    await before.stop();

    receiver.setBehaviour(() => ({ status: 200 }));
    const after = new InProcessQueue({ logger, now: () => nowMs });
    await registerWebhookJobs({ ...worker(), jobs: after }, FAST);
    await after.enqueue(WEBHOOK_DELIVERY_JOB, {}, { singletonKey: WEBHOOK_DELIVERY_JOB });
    await after.runDue();
    await after.stop();
    const rows = await db('webhook_deliveries').where({ portal_id: portal });
    expect(rows.map((r) => r.state)).toEqual(['delivered', 'delivered']);
    expect([...new Set(receiver.ids())].sort()).toEqual((await events(portal)).map((e) => e.id).sort());
  });
});

describe('invoice.overdue', () => {
  const emit = () => emitOverdueEvents({ db, clock, logger });
  const overdueOf = async (portal: number) =>
    (await db('webhook_events').where({ portal_id: portal, type: 'invoice.overdue' }).orderBy('occurred_at')).map((e) => e.invoice_id as string);

  it("is emitted once per invoice, the day after the due date in the portal's time zone (across the end of DST)", async () => {
    const saved = nowMs;
    try {
      nowMs = Date.parse('2026-10-01T10:00:00Z');
      const ams = await portalWithEndpoint(undefined, ['invoice.overdue']);
      expect((await ams.api.put('/api/v1/settings', { timeZone: 'Europe/Amsterdam' })).status).toBe(200);
      const utc = t.as(newPortalId());
      // net_30: due 2026-10-24 (Amsterdam on summer time, UTC+2) and 2026-10-25 (DST ended that night: UTC+1).
      const a = await invoiceIn(ams.api, 'open', { invoiceDate: '2026-09-24' });
      const b = await invoiceIn(ams.api, 'open', { invoiceDate: '2026-09-25' });
      const u = await invoiceIn(utc, 'open', { invoiceDate: '2026-09-24' });
      await invoiceIn(ams.api, 'paid', { invoiceDate: '2026-09-01' });
      const portalU = Number((await db('invoices').where({ id: u.id }).first()).portal_id);

      const at = async (iso: string) => {
        nowMs = Date.parse(iso);
        await emit();
        return { ams: await overdueOf(ams.portal), utc: await overdueOf(portalU) };
      };
      expect(await at('2026-10-24T21:59:59Z')).toEqual({ ams: [], utc: [] });
      expect(await at('2026-10-24T22:00:00Z')).toEqual({ ams: [a.id], utc: [] });
      expect(await at('2026-10-25T00:00:00Z')).toEqual({ ams: [a.id], utc: [u.id] });
      expect(await at('2026-10-25T22:59:59Z')).toEqual({ ams: [a.id], utc: [u.id] });
      expect(await at('2026-10-25T23:00:00Z')).toEqual({ ams: [a.id, b.id], utc: [u.id] });
      // Again, and again later: still once each; a paid invoice never becomes overdue.
      expect(await at('2026-11-20T12:00:00Z')).toEqual({ ams: [a.id, b.id], utc: [u.id] });

      await deliver();
      const got = ams.receiver.received.map((r) => r.body).sort((x, y) => String(x.data.invoice.dueDate).localeCompare(String(y.data.invoice.dueDate)));
      expect(got.map((r) => [r.type, r.data.invoice.id, r.data.invoice.dueDate, r.data.invoice.daysPastDue])).toEqual([
        ['invoice.overdue', a.id, '2026-10-24', 1],
        ['invoice.overdue', b.id, '2026-10-25', 1],
      ]);
      expect(got.map((r) => r.occurredAt)).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    } finally {
      nowMs = Math.max(saved, nowMs);
    }
  });

  it('runs as a queue job', async () => {
    const { portal, api } = await portalWithEndpoint(undefined, ['invoice.overdue']);
    const inv = await invoiceIn(api, 'open', { invoiceDate: '2020-01-01', paymentTerms: 'net_15' });
    const queue = new InProcessQueue({ logger, now: () => nowMs });
    await registerWebhookJobs({ ...worker(), jobs: queue }, FAST);
    await queue.enqueue(WEBHOOK_OVERDUE_JOB, {}, { singletonKey: WEBHOOK_OVERDUE_JOB });
    await queue.enqueue(WEBHOOK_OVERDUE_JOB, {}, { singletonKey: WEBHOOK_OVERDUE_JOB });
    await queue.runDue();
    await queue.stop();
    expect(await overdueOf(portal)).toEqual([inv.id]);
  });
});

describe('on PostgreSQL with pg-boss', () => {
  /** A pg-boss "process": queue, webhook jobs and the schedule main.ts starts. */
  async function bossProcess() {
    const boss = new PgBossQueue({
      connectionString: process.env.TEST_DATABASE_URL!,
      logger,
      schema: 'pgboss_webhooks_test',
      pollingIntervalSeconds: 0.5,
      retryDelaySeconds: 1,
    });
    const handle = await registerWebhookJobs({ ...worker(), clock: () => new Date(), jobs: boss }, { ...FAST, timeoutMs: 10_000 });
    await boss.start();
    const schedule = startWebhookSchedule({ logger, jobs: boss }, { deliveryMs: 300 });
    return {
      /** Shutdown as main.ts does it. */
      async stop() {
        schedule.stop();
        handle.abort();
        await boss.stop();
      },
    };
  }

  async function allDelivered(portal: number, n: number): Promise<string[]> {
    const deadline = Date.now() + 20_000;
    let states: string[] = [];
    while (Date.now() < deadline) {
      states = (await db('webhook_deliveries').where({ portal_id: portal })).map((r) => r.state as string);
      if (states.length === n && states.every((s) => s === 'delivered')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return states;
  }

  it.skipIf(!onServer)(
    'delivers through pg-boss, and a restarted process finishes what a stopped one was sending',
    async () => {
      const { portal, api, receiver, secret } = await portalWithEndpoint((req) => (req.n <= 3 ? 'hold' : { status: 200 }));
      const first = await bossProcess();
      let stopped = false;
      try {
        for (let i = 0; i < 3; i += 1) await invoiceIn(api, 'open');
        await receiver.waitFor(3, 20_000);
        await first.stop();
        stopped = true;
        expect((await db('webhook_deliveries').where({ portal_id: portal })).map((r) => [r.state, r.attempts])).toEqual(
          Array.from({ length: 3 }, () => ['pending', 0]),
        );
      } finally {
        if (!stopped) await first.stop();
      }
      const second = await bossProcess();
      try {
        expect(await allDelivered(portal, 3)).toEqual(['delivered', 'delivered', 'delivered']);
        for (const hook of receiver.received) verifySignature(secret, hook);
        expect([...new Set(receiver.ids())].sort()).toEqual((await events(portal)).map((e) => e.id).sort());
        expect(receiver.received.length).toBeGreaterThanOrEqual(6);
      } finally {
        await second.stop();
      }
    },
    60_000,
  );
});
