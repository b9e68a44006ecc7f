import type { Knex } from 'knex';
import nock from 'nock';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INVOICE_MIRROR_JOB } from '../src/app/invoice-mirror-nudge.js';
import { MirrorBusyError, syncInvoiceMirror, sweepInvoiceMirrors, type MirrorDeps } from '../src/app/sync-invoice-mirror.js';
import { findMirror, upsertMirrorIntent } from '../src/db/invoice-mirrors-repo.js';
import type { InvoiceMirrorPort } from '../src/app/ports/invoice-mirror.js';
import { DomainError } from '../src/domain/errors.js';
import {
  HubSpotInvoiceMirrorAdapter,
  MIRROR_CUSTOM_PROPERTIES,
  MIRROR_PROPERTY,
  MIRROR_PROPERTY_GROUP,
  unitDiscount,
} from '../src/integrations/hubspot/invoice-mirror-adapter.js';
import { ALL_SCOPES, startCrmSandbox, type CrmSandbox } from '../tools/hubspot-sandbox/index.js';
import { InProcessQueue } from '../src/jobs/in-process-queue.js';
import { registerInvoiceMirrorJobs } from '../src/jobs/invoice-mirror-jobs.js';
import { PgBossQueue } from '../src/jobs/pg-boss-queue.js';
import { fixedClock, newPortalId, testApp } from './helpers/app.js';
import { openTestDb } from './helpers/db.js';
import { invoiceIn } from './helpers/invoices.js';

const CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-client-secret' };
const NOCK_BASE = 'https://api.hubspot.test';
/** GET-then-create: the app's invoice property group is looked up before it is created. */
const GROUP_PATH = `/crm/properties/2026-03/invoices/groups/${MIRROR_PROPERTY_GROUP}`;
const logger = pino({ level: 'silent' });

let db: Knex;
let sandbox: CrmSandbox;
let queue: InProcessQueue;
let t: ReturnType<typeof testApp>;
let mirrorDeps: MirrorDeps;
const clock = fixedClock('2026-11-28T12:00:00Z');
/** Access token per portal, whichever HubSpot (sandbox or nock) the portal talks to. */
const tokens = new Map<number, string>();
/** Portals routed to another HubSpot than the shared sandbox (a sandbox that goes down, nock). */
const routes = new Map<number, InvoiceMirrorPort>();

function adapterFor(baseUrl: string, log = logger): HubSpotInvoiceMirrorAdapter {
  return new HubSpotInvoiceMirrorAdapter({
    baseUrl,
    accessToken: async (portalId) => {
      const token = tokens.get(portalId);
      if (!token) throw new DomainError('portal_not_installed', `portal ${portalId} has no HubSpot token in this test`);
      return token;
    },
    logger: log,
    // Retries without waiting: the tests are about what is retried, not how long it waits.
    sleep: async () => undefined,
  });
}

/** The mirror port the job uses: the shared sandbox, or the portal's own route. */
function routedPort(fallback: InvoiceMirrorPort): InvoiceMirrorPort {
  const pick = (portalId: number) => routes.get(portalId) ?? fallback;
  return {
    lineItemBatchSize: fallback.lineItemBatchSize,
    findInvoice: (p, ...a) => pick(p).findInvoice(p, ...a),
    createInvoice: (p, ...a) => pick(p).createInvoice(p, ...a),
    ensureContact: (p, ...a) => pick(p).ensureContact(p, ...a),
    associate: (p, ...a) => pick(p).associate(p, ...a),
    listLineItems: (p, ...a) => pick(p).listLineItems(p, ...a),
    createLineItems: (p, ...a) => pick(p).createLineItems(p, ...a),
    setState: (p, ...a) => pick(p).setState(p, ...a),
  };
}

/** A portal installed in `sb` with a contact, a company, a deal and a quote to associate. */
function hubPortal(sb: CrmSandbox, portalId = newPortalId()): number {
  // No custom invoice properties: the mirror creates them through the properties API.
  tokens.set(portalId, sb.store.issueTokens(portalId).accessToken);
  sb.store.addRecord(portalId, 'contacts', { email: 'ada@example.com', firstname: 'Ada' }, { id: '101' });
  sb.store.addRecord(portalId, 'companies', { name: 'Example BV' }, { id: '201' });
  sb.store.addRecord(portalId, 'deals', { dealname: 'Deal', deal_currency_code: 'USD' }, { id: '301' });
  sb.store.addRecord(portalId, 'quotes', { hs_title: 'Quote' }, { id: '401' });
  // A line on the deal: the mirror copies our lines and never touches the deal's own.
  sb.store.addLineItem(portalId, { type: 'deals', id: '301' }, { name: 'Deal line', quantity: '1', price: '5' }, { id: '3010001' });
  return portalId;
}

/** Draft fields with two lines: 1.5 x 100.00 less 10 % plus 21 % tax (163.35), and 3 x 25.00 less 10.00 (65.00). */
function mirrorDraft(over: Record<string, unknown> = {}) {
  return {
    paymentMethods: ['card', 'ach'],
    buyerComments: 'Thank you!',
    lineItems: [
      { name: 'Onboarding', sku: 'ONB-1', quantity: '1.5', unitPrice: 10000, discount: { type: 'percent', value: '10' }, taxRate: '21' },
      { name: 'Support', description: 'Monthly', quantity: '3', unitPrice: 2500, discount: { type: 'amount', value: '1000' } },
    ],
    associations: { contacts: ['101'], companies: ['201'], deals: ['301'], quotes: ['401'] },
    ...over,
  };
}

async function finalizedInvoice(portalId: number, headers: Record<string, string> = {}, over: Record<string, unknown> = {}) {
  const api = t.as(portalId);
  const { body } = await invoiceIn(api, 'open', mirrorDraft(over), { finalizeHeaders: headers });
  return { api, invoice: body as { id: string; number: string; total: number } };
}

function hubInvoices(sb: CrmSandbox, portalId: number) {
  return sb.store.list(portalId, 'invoices');
}

function hubLineItems(sb: CrmSandbox, portalId: number) {
  return sb.store.list(portalId, 'line_items').filter((l) => l.id !== '3010001');
}

beforeAll(async () => {
  db = await openTestDb();
  sandbox = await startCrmSandbox({ port: 0, ...CLIENT, seed: [] });
  queue = new InProcessQueue({ logger, now: () => clock.now().getTime() });
  t = testApp(db, { clock: clock.now, jobs: queue });
  mirrorDeps = { db, config: t.deps.config, logger, clock: clock.now, mirror: routedPort(adapterFor(sandbox.url)) };
  await registerInvoiceMirrorJobs({ ...mirrorDeps, jobs: queue });
});
afterAll(async () => {
  await queue.stop();
  await sandbox.close();
  await db.destroy();
});
beforeEach(async () => {
  // Each test starts with an empty queue (jobs of earlier tests are theirs).
  await queue.runDue();
});

describe('mirroring finalized invoices into HubSpot', () => {
  it('finalize -> the job creates the HubSpot invoice with our number, lines and associations, and opens it', async () => {
    const portalId = hubPortal(sandbox);
    const { api, invoice } = await finalizedInvoice(portalId);
    expect(invoice.total).toBe(22835);
    // Finalizing did not wait for HubSpot: nothing is there until the job runs.
    expect(hubInvoices(sandbox, portalId)).toEqual([]);
    expect(queue.size()).toBe(1);

    expect(await queue.runDue()).toBe(1);

    const [hub, ...more] = hubInvoices(sandbox, portalId);
    expect(more).toEqual([]);
    expect(hub!.properties).toMatchObject({
      hs_currency: 'USD',
      hs_invoice_status: 'open',
      // A record, not a second bill: HubSpot must never ask the buyer to pay this copy.
      hs_invoice_billable: 'false',
      hs_invoice_date: '2026-11-28T00:00:00.000Z',
      hs_due_date: '2026-12-28T00:00:00.000Z',
      hs_comments: 'Thank you!',
      [MIRROR_PROPERTY.invoiceId]: invoice.id,
      [MIRROR_PROPERTY.number]: invoice.number,
      [MIRROR_PROPERTY.taxTotal]: '28.35',
      [MIRROR_PROPERTY.status]: 'open',
      [MIRROR_PROPERTY.total]: '228.35',
      [MIRROR_PROPERTY.amountPaid]: '0.00',
      [MIRROR_PROPERTY.balanceDue]: '228.35',
    });
    // No payment settings (the invoice allows card and ACH with us), and no hs_number, which
    // HubSpot does not document as writable.
    expect(hub!.properties).not.toHaveProperty('hs_allowed_payment_methods');
    expect(hub!.properties).not.toHaveProperty('hs_allow_partial_payments');
    expect(hub!.properties).not.toHaveProperty('hs_number');
    expect(hub!.properties[MIRROR_PROPERTY.hostedUrl]).toMatch(/^https:\/\/invoices\.test\/i\/[\w-]{32}$/);

    const ref = { type: 'invoices' as const, id: hub!.id };
    const assoc = (type: 'contacts' | 'companies' | 'deals' | 'quotes' | 'line_items') => sandbox.store.associations(portalId, ref, type);
    expect(assoc('contacts')).toEqual([{ toId: '101', typeIds: [177] }]);
    expect(assoc('companies')).toEqual([{ toId: '201', typeIds: [179] }]);
    expect(assoc('deals')).toEqual([{ toId: '301', typeIds: [175] }]);
    expect(assoc('quotes')).toEqual([{ toId: '401', typeIds: [407] }]);

    const lines = assoc('line_items');
    expect(lines.map((l) => l.typeIds)).toEqual([[409], [409]]);
    const props = lines.map((l) => sandbox.store.get(portalId, 'line_items', l.toId)!.properties);
    expect(props[0]).toMatchObject({
      name: 'Onboarding',
      hs_sku: 'ONB-1',
      quantity: '1.5',
      price: '100.00',
      hs_discount_percentage: '10',
      hs_position_on_quote: '0',
      hs_line_item_currency_code: 'USD',
    });
    expect(props[1]).toMatchObject({
      name: 'Support',
      description: 'Monthly',
      quantity: '3',
      price: '25.00',
      discount: '3.33333333',
      hs_position_on_quote: '1',
    });
    // New line items: the deal keeps its own single line, and ours belong to the invoice only.
    expect(sandbox.store.associations(portalId, { type: 'deals', id: '301' }, 'line_items').map((l) => l.toId)).toEqual(['3010001']);
    for (const l of lines) expect(sandbox.store.associations(portalId, { type: 'line_items', id: l.toId }, 'deals')).toEqual([]);

    const row = await findMirror(db, portalId, invoice.id);
    expect(row).toMatchObject({
      hubspotInvoiceId: hub!.id,
      hubspotLineItemIds: lines.map((l) => l.toId),
      desiredStatus: 'open',
      syncedStatus: 'open',
      attempts: 0,
      lastError: null,
      nextAttemptAt: null,
      lockedUntil: null,
    });
    const events = (await api.get(`/api/v1/invoices/${invoice.id}/events`)).body.data as Array<{ type: string; actorType?: string; data: object }>;
    expect(events.map((e) => e.type)).toEqual(['invoice.created', 'invoice.finalized', 'invoice.mirrored']);
    expect(events[2]!.data).toMatchObject({ hubspotInvoiceId: hub!.id, status: 'open', hubspotStatus: 'open', lineItems: 2, created: true });
  });

  it('keeps the status in step: partial payment, paid (HubSpot stays open, our status and balance say paid), refund reopening', async () => {
    const portalId = hubPortal(sandbox);
    const { api, invoice } = await finalizedInvoice(portalId);
    await queue.runDue();
    const hub = () => hubInvoices(sandbox, portalId)[0]!.properties;

    expect((await api.post(`/api/v1/invoices/${invoice.id}/payments`, { amount: 2835, method: 'cash' })).status).toBe(201);
    await queue.runDue();
    expect(hub()).toMatchObject({
      hs_invoice_status: 'open',
      [MIRROR_PROPERTY.status]: 'open',
      [MIRROR_PROPERTY.amountPaid]: '28.35',
      [MIRROR_PROPERTY.balanceDue]: '200.00',
    });

    const rest = await api.post(`/api/v1/invoices/${invoice.id}/payments`, { amount: 20000, method: 'bank_transfer' });
    expect(rest.body.status).toBe('paid');
    await queue.runDue();
    // HubSpot refuses `paid` through the API (payments are HubSpot's to record).
    expect(hub()).toMatchObject({
      hs_invoice_status: 'open',
      [MIRROR_PROPERTY.status]: 'paid',
      [MIRROR_PROPERTY.amountPaid]: '228.35',
      [MIRROR_PROPERTY.balanceDue]: '0.00',
    });
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({ desiredStatus: 'paid', syncedStatus: 'paid', nextAttemptAt: null });

    // A refund reopens the invoice (the refund use case records the intent like this).
    await db.transaction(async (trx) => {
      await trx('invoices').where({ portal_id: portalId, id: invoice.id }).update({ status: 'open', paid_at: null });
      await upsertMirrorIntent(trx, portalId, invoice.id, 'open', clock.now());
    });
    expect(await sweepInvoiceMirrors({ db, clock: clock.now, jobs: queue }, { portalId })).toBe(1);
    await queue.runDue();
    expect(hub()).toMatchObject({ hs_invoice_status: 'open', [MIRROR_PROPERTY.status]: 'open' });
    expect(hubInvoices(sandbox, portalId)).toHaveLength(1);
    expect(hubLineItems(sandbox, portalId)).toHaveLength(2);
  });

  it('void -> voided, also for an invoice voided before its mirror ever ran', async () => {
    const portalId = hubPortal(sandbox);
    const { api, invoice } = await finalizedInvoice(portalId);
    await queue.runDue();
    expect((await api.post(`/api/v1/invoices/${invoice.id}/void`, { reason: 'Wrong customer' })).status).toBe(200);
    await queue.runDue();
    const first = hubInvoices(sandbox, portalId).find((i) => i.properties[MIRROR_PROPERTY.invoiceId] === invoice.id)!;
    expect(first.properties).toMatchObject({ hs_invoice_status: 'voided', [MIRROR_PROPERTY.status]: 'void', [MIRROR_PROPERTY.balanceDue]: '0.00' });

    const late = await finalizedInvoice(portalId);
    expect((await late.api.post(`/api/v1/invoices/${late.invoice.id}/void`, {})).status).toBe(200);
    await queue.runDue();
    const second = hubInvoices(sandbox, portalId).find((i) => i.properties[MIRROR_PROPERTY.invoiceId] === late.invoice.id)!;
    expect(second.properties).toMatchObject({ [MIRROR_PROPERTY.number]: late.invoice.number, hs_invoice_status: 'voided', [MIRROR_PROPERTY.status]: 'void' });
    expect(await findMirror(db, portalId, late.invoice.id)).toMatchObject({ syncedStatus: 'void', nextAttemptAt: null });
  });

  it("a taxed line carries the portal's tax rate group with its rate; a library without one leaves it off and the mirror still completes", async () => {
    const portalId = hubPortal(sandbox);
    sandbox.store.taxRates.add(portalId, { id: '6001', name: 'VAT 21', label: 'VAT 21 %', percentageRate: 21, active: true });
    sandbox.store.taxRates.add(portalId, { id: '6002', name: 'Old VAT', label: 'Old VAT 21 %', percentageRate: 21, active: false });
    const { invoice } = await finalizedInvoice(portalId);
    await queue.runDue();
    const byPosition = new Map(hubLineItems(sandbox, portalId).map((l) => [l.properties.hs_position_on_quote, l.properties]));
    expect(byPosition.get('0')).toMatchObject({ name: 'Onboarding', hs_tax_rate_group_id: '6001' });
    expect(byPosition.get('1')?.hs_tax_rate_group_id).toBeUndefined();
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({ syncedStatus: 'open', attempts: 0, lastError: null });

    // A token HubSpot refuses the tax rate list for (no tax scope): no group, the mirror completes.
    const other = hubPortal(sandbox);
    sandbox.store.taxRates.add(other, { id: '6003', name: 'VAT 21', label: 'VAT 21 %', percentageRate: 21, active: true });
    const taxScopes = new Set(['tax_rates.read', 'crm.objects.quotes.read', 'crm.objects.quotes.write', 'cpq.quotes.read', 'cpq.quotes.write']);
    tokens.set(
      other,
      sandbox.store.issueTokens(
        other,
        ALL_SCOPES.filter((s) => !taxScopes.has(s)),
      ).accessToken,
    );
    const second = (await finalizedInvoice(other)).invoice;
    await queue.runDue();
    expect(hubLineItems(sandbox, other).map((l) => l.properties.hs_tax_rate_group_id)).toEqual([undefined, undefined]);
    expect(await findMirror(db, other, second.id)).toMatchObject({ syncedStatus: 'open', attempts: 0, lastError: null });
  });

  it('running the job again creates nothing new', async () => {
    const portalId = hubPortal(sandbox);
    const { invoice } = await finalizedInvoice(portalId);
    await queue.runDue();
    const before = { invoices: hubInvoices(sandbox, portalId).length, lines: hubLineItems(sandbox, portalId).length };

    sandbox.resetCallCount();
    const job = { portalId, invoiceId: invoice.id };
    for (let run = 0; run < 2; run += 1) {
      await queue.enqueue(INVOICE_MIRROR_JOB, job);
      expect(await queue.runDue()).toBe(1);
    }
    expect(sandbox.callCount()).toBe(0);
    expect(queue.size()).toBe(0);

    // Even a forced full re-push (as if the synced revision had been lost) only updates.
    await db('invoice_mirrors').where({ portal_id: portalId, invoice_id: invoice.id }).update({ synced_revision: 0, synced_status: null });
    expect(await syncInvoiceMirror(mirrorDeps, job)).toBe('synced');
    expect({ invoices: hubInvoices(sandbox, portalId).length, lines: hubLineItems(sandbox, portalId).length }).toEqual(before);
    expect(before).toEqual({ invoices: 1, lines: 2 });
  });

  it('two workers on one invoice at once: one mirrors, the other is told to retry later (lease)', async () => {
    const portalId = hubPortal(sandbox);
    const { invoice } = await finalizedInvoice(portalId);
    const job = { portalId, invoiceId: invoice.id };
    const results = await Promise.allSettled([syncInvoiceMirror(mirrorDeps, job), syncInvoiceMirror(mirrorDeps, job)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(rejected.reason).toBeInstanceOf(MirrorBusyError);
    expect(hubInvoices(sandbox, portalId)).toHaveLength(1);
    expect(hubLineItems(sandbox, portalId)).toHaveLength(2);
    // The finalize nudge still waits: it finds the mirror up to date.
    await queue.runDue();
    expect(hubInvoices(sandbox, portalId)).toHaveLength(1);
  });

  it('an intent that arrives during a run (a payment) is pushed by the same run', async () => {
    const portalId = hubPortal(sandbox);
    const { api, invoice } = await finalizedInvoice(portalId);
    const real = mirrorDeps.mirror;
    let paid = false;
    const paying: InvoiceMirrorPort = {
      ...routedPort(real),
      setState: async (...args) => {
        const result = await real.setState(...args);
        if (!paid) {
          paid = true;
          expect((await api.post(`/api/v1/invoices/${invoice.id}/payments`, { amount: 835, method: 'cash' })).status).toBe(201);
        }
        return result;
      },
    };
    expect(await syncInvoiceMirror({ ...mirrorDeps, mirror: paying }, { portalId, invoiceId: invoice.id })).toBe('synced');
    expect(hubInvoices(sandbox, portalId)[0]!.properties[MIRROR_PROPERTY.balanceDue]).toBe('220.00');
    const row = (await findMirror(db, portalId, invoice.id))!;
    expect(row).toMatchObject({ syncedRevision: row.revision, nextAttemptAt: null, lockedUntil: null });
    const events = (await api.get(`/api/v1/invoices/${invoice.id}/events`)).body.data as Array<{ type: string }>;
    expect(events.filter((e) => e.type === 'invoice.mirrored')).toHaveLength(2);
  });

  it('a crash after HubSpot created the invoice (id never stored) -> the retry finds it by our id and does not duplicate', async () => {
    const portalId = hubPortal(sandbox);
    const { invoice } = await finalizedInvoice(portalId);
    const real = mirrorDeps.mirror;
    const crashing: InvoiceMirrorPort = {
      ...routedPort(real),
      createInvoice: async (...args) => {
        await real.createInvoice(...args);
        throw new Error('process died before storing the HubSpot invoice id');
      },
    };
    await expect(syncInvoiceMirror({ ...mirrorDeps, mirror: crashing }, { portalId, invoiceId: invoice.id })).rejects.toThrow(/process died/);
    expect(hubInvoices(sandbox, portalId)).toHaveLength(1);
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({ hubspotInvoiceId: null, attempts: 1, lastError: expect.stringMatching(/process died/) });

    // The nudge from finalize is still queued: it runs the real mirror.
    await queue.runDue();
    const invoices = hubInvoices(sandbox, portalId);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.properties.hs_invoice_status).toBe('open');
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({ hubspotInvoiceId: invoices[0]!.id, syncedStatus: 'open', attempts: 0, lastError: null });
  });

  it('a crash after HubSpot created the line items (ids never stored) -> the retry adopts them by position', async () => {
    const portalId = hubPortal(sandbox);
    const { invoice } = await finalizedInvoice(portalId);
    const real = mirrorDeps.mirror;
    const crashing: InvoiceMirrorPort = {
      ...routedPort(real),
      createLineItems: async (...args) => {
        await real.createLineItems(...args);
        throw new Error('connection reset after the batch was created');
      },
    };
    await expect(syncInvoiceMirror({ ...mirrorDeps, mirror: crashing }, { portalId, invoiceId: invoice.id })).rejects.toThrow(/connection reset/);
    expect(hubLineItems(sandbox, portalId)).toHaveLength(2);
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({ hubspotLineItemIds: [] });

    await queue.runDue();
    const lines = hubLineItems(sandbox, portalId);
    expect(lines).toHaveLength(2);
    expect((await findMirror(db, portalId, invoice.id))!.hubspotLineItemIds.slice().sort()).toEqual(lines.map((l) => l.id).sort());
    expect(hubInvoices(sandbox, portalId)[0]!.properties.hs_invoice_status).toBe('open');
  });

  it('HubSpot down: finalize still answers 200, the attempt is recorded, and the mirror catches up when HubSpot is back', async () => {
    const own = await startCrmSandbox({ port: 0, ...CLIENT, seed: [] });
    const port = Number(new URL(own.url).port);
    const portalId = hubPortal(own);
    routes.set(portalId, adapterFor(own.url));
    await own.close();

    const { invoice } = await finalizedInvoice(portalId);
    await queue.runDue();
    const failed = await findMirror(db, portalId, invoice.id);
    expect(failed).toMatchObject({ hubspotInvoiceId: null, syncedStatus: null, attempts: 1, lastError: expect.stringMatching(/network error/) });
    expect(failed!.nextAttemptAt!.getTime()).toBe(clock.now().getTime() + 30_000);
    expect(queue.size()).toBe(1); // the queue's own retry

    const back = await startCrmSandbox({ port, ...CLIENT, seed: [] });
    try {
      hubPortal(back, portalId);
      clock.set('2026-11-28T12:01:00Z');
      await queue.runDue();
      expect(hubInvoices(back, portalId).map((i) => i.properties.hs_invoice_status)).toEqual(['open']);
      expect(await findMirror(db, portalId, invoice.id)).toMatchObject({ syncedStatus: 'open', attempts: 0, lastError: null, nextAttemptAt: null });
    } finally {
      clock.set('2026-11-28T12:00:00Z');
      routes.delete(portalId);
      await back.close();
    }
  });

  it('the sweep enqueues mirrors whose nudge was lost', async () => {
    const portalId = hubPortal(sandbox);
    // No queue in this app: the use cases write the intent and nudge nobody.
    const quiet = testApp(db, { clock: clock.now });
    const draft = await invoiceIn(quiet.as(portalId), 'open', mirrorDraft());
    expect(queue.size()).toBe(0);
    expect(await findMirror(db, portalId, draft.id)).toMatchObject({ desiredStatus: 'open', syncedStatus: null });

    expect(await sweepInvoiceMirrors({ db, clock: clock.now, jobs: queue }, { portalId })).toBe(1);
    await queue.runDue();
    expect(hubInvoices(sandbox, portalId)).toHaveLength(1);
    expect(await findMirror(db, portalId, draft.id)).toMatchObject({ syncedStatus: 'open', nextAttemptAt: null });
  });

  it('nudges after the outer commit when the request carries an Idempotency-Key', async () => {
    const portalId = hubPortal(sandbox);
    const { invoice } = await finalizedInvoice(portalId, { 'Idempotency-Key': `fin-${portalId}` });
    expect(queue.size()).toBe(1);
    await queue.runDue();
    expect(hubInvoices(sandbox, portalId).map((i) => i.properties[MIRROR_PROPERTY.number])).toEqual([invoice.number]);
  });

  it('mirrors an invoice without a HubSpot contact: its billing contact is created in HubSpot and associated', async () => {
    const portalId = hubPortal(sandbox);
    const { api, invoice } = await finalizedInvoice(
      portalId,
      {},
      {
        associations: { contacts: [], companies: ['201'], deals: [], quotes: [] },
        billTo: { name: 'Grace Hopper', email: 'grace@example.com', companyName: 'Example BV' },
      },
    );
    await queue.runDue();
    const [hub, ...more] = hubInvoices(sandbox, portalId);
    expect(more).toEqual([]);
    expect(hub!.properties).toMatchObject({ hs_invoice_status: 'open', hs_invoice_billable: 'false', [MIRROR_PROPERTY.number]: invoice.number });
    const created = sandbox.store.list(portalId, 'contacts').filter((c) => c.id !== '101');
    expect(created.map((c) => c.properties)).toEqual([expect.objectContaining({ email: 'grace@example.com', firstname: 'Grace', lastname: 'Hopper' })]);
    const ref = { type: 'invoices' as const, id: hub!.id };
    expect(sandbox.store.associations(portalId, ref, 'contacts').map((a) => a.toId)).toEqual([created[0]!.id]);
    expect(sandbox.store.associations(portalId, ref, 'line_items')).toHaveLength(2);
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({ syncedStatus: 'open', lastError: null });
    const events = (await api.get(`/api/v1/invoices/${invoice.id}/events`)).body.data as Array<{ type: string; data: object }>;
    expect(events.at(-1)).toMatchObject({ type: 'invoice.mirrored', data: { contact: 'created' } });
  });

  it('mirrors an invoice without a HubSpot contact id to the contact HubSpot has for the billing email', async () => {
    const portalId = hubPortal(sandbox);
    const { invoice } = await finalizedInvoice(
      portalId,
      {},
      { associations: { contacts: [], companies: [], deals: [], quotes: [] }, billTo: { name: 'Ada', email: 'ada@example.com' } },
    );
    await queue.runDue();
    const [hub] = hubInvoices(sandbox, portalId);
    expect(hub!.properties.hs_invoice_status).toBe('open');
    expect(sandbox.store.associations(portalId, { type: 'invoices', id: hub!.id }, 'contacts').map((a) => a.toId)).toEqual(['101']);
    expect(sandbox.store.list(portalId, 'contacts').map((c) => c.id)).toEqual(['101']);
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({ syncedStatus: 'open', lastError: null });
  });
});

describe('HubSpot failures (nock)', () => {
  const TOKEN = 'nock-token';
  let portalId: number;

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  beforeEach(() => {
    portalId = hubPortal(sandbox);
    tokens.set(portalId, TOKEN);
    routes.set(portalId, adapterFor(NOCK_BASE));
  });
  afterEach(() => {
    routes.delete(portalId);
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(() => nock.enableNetConnect());

  const hub = () => nock(NOCK_BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
  /** The associations schema lookup of the line item -> invoice type (once per adapter and portal). */
  const lineItemToInvoiceType = () =>
    hub()
      .get('/crm/associations/2026-03/line_items/invoices/labels')
      .optionally()
      .reply(200, { results: [{ category: 'HUBSPOT_DEFINED', typeId: 410, label: null }] });
  /** The portal's tax rate library, read when a line has a tax rate (once per adapter and portal): empty here. */
  const emptyTaxRateLibrary = () => hub().get('/tax-rates/2026-03/tax-rates').optionally().reply(200, { results: [] });
  const noResults = { total: 0, results: [] };
  /** The app's property group and invoice properties get created (a fresh portal). */
  const propertiesCreated = () => {
    hub().get(GROUP_PATH).reply(404, { status: 'error', message: 'Unable to find property group', category: 'OBJECT_NOT_FOUND' });
    hub()
      .post('/crm/properties/2026-03/invoices/groups', (b: { name: string }) => b.name === MIRROR_PROPERTY_GROUP)
      .reply(201, { name: MIRROR_PROPERTY_GROUP, label: 'Invoices app', displayOrder: -1, archived: false });
    hub()
      .post(
        '/crm/properties/2026-03/invoices/batch/create',
        (b: { inputs: Array<{ name: string; groupName: string }> }) =>
          b.inputs.map((i) => i.name).join() === MIRROR_CUSTOM_PROPERTIES.join() && b.inputs.every((i) => i.groupName === MIRROR_PROPERTY_GROUP),
      )
      .reply(201, (_uri, body) => ({
        status: 'COMPLETE',
        results: (body as { inputs: unknown[] }).inputs,
        startedAt: '2026-11-28T12:00:00Z',
        completedAt: '2026-11-28T12:00:00Z',
      }));
  };
  const lineResults = (body: { inputs: Array<{ properties: Record<string, string> }> }) => ({
    status: 'COMPLETE',
    // In reverse: HubSpot does not promise input order.
    results: body.inputs.map((input, i) => ({ id: String(7000 + i), properties: { hs_position_on_quote: input.properties.hs_position_on_quote } })).reverse(),
  });

  it('a 503 on create is not retried blindly: the attempt fails, and the next one searches first and completes', async () => {
    const { invoice } = await finalizedInvoice(portalId);
    propertiesCreated();
    hub().post('/crm/objects/2026-03/invoices/search').reply(200, noResults);
    hub()
      .post('/crm/objects/2026-03/invoices')
      .once()
      .reply(503, { status: 'error', message: 'unavailable', correlationId: 'c-1', category: 'INTERNAL_ERROR' });
    await queue.runDue();
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({
      hubspotInvoiceId: null,
      attempts: 1,
      lastError: expect.stringMatching(/status 503.*c-1/),
    });

    hub().post('/crm/objects/2026-03/invoices/search').reply(200, noResults);
    hub()
      .post('/crm/objects/2026-03/invoices', (b: { properties: Record<string, string> }) => b.properties[MIRROR_PROPERTY.invoiceId] === invoice.id)
      .reply(201, { id: '9990001', properties: {} });
    hub().get('/crm/objects/2026-03/invoices/9990001/associations/line_items').query({ limit: '500' }).reply(200, { results: [] });
    lineItemToInvoiceType();
    emptyTaxRateLibrary();
    hub()
      .post('/crm/objects/2026-03/line_items/batch/create')
      .reply(201, (_uri, body) => lineResults(body as never));
    for (const path of ['contacts/101', 'companies/201', 'deals/301', 'quotes/401']) {
      hub().put(`/crm/objects/2026-03/invoices/9990001/associations/default/${path}`).reply(200, { status: 'COMPLETE', results: [] });
    }
    // PATCH is idempotent: a 502 is retried in place.
    hub().patch('/crm/objects/2026-03/invoices/9990001').reply(502, { status: 'error', message: 'bad gateway' });
    hub()
      .patch('/crm/objects/2026-03/invoices/9990001', (b: { properties: Record<string, string> }) => b.properties.hs_invoice_status === 'open')
      .reply(200, { id: '9990001', properties: {} });
    clock.set('2026-11-28T12:01:00Z');
    try {
      await queue.runDue();
    } finally {
      clock.set('2026-11-28T12:00:00Z');
    }
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({
      hubspotInvoiceId: '9990001',
      hubspotLineItemIds: ['7000', '7001'],
      syncedStatus: 'open',
      attempts: 0,
    });
  });

  it('a 429 is retried after Retry-After, on reads and on creates alike', async () => {
    const adapter = adapterFor(NOCK_BASE);
    propertiesCreated();
    hub()
      .post('/crm/objects/2026-03/invoices/search')
      .reply(429, { status: 'error', message: 'rate', policyName: 'TEN_SECONDLY_ROLLING' }, { 'Retry-After': '1' });
    hub()
      .post('/crm/objects/2026-03/invoices/search')
      .reply(200, { total: 1, results: [{ id: '42', properties: {} }] });
    expect(await adapter.findInvoice(portalId, '00000000-0000-4000-8000-000000000000')).toBe('42');

    hub().post('/crm/objects/2026-03/invoices').reply(429, { status: 'error', message: 'rate', policyName: 'TEN_SECONDLY_ROLLING' });
    hub().post('/crm/objects/2026-03/invoices').reply(201, { id: '43', properties: {} });
    const fixed = {
      invoiceId: '00000000-0000-4000-8000-000000000000',
      number: 'INV-1',
      currency: 'JPY',
      invoiceDateStart: '2026-11-27T15:00:00.000Z',
      dueDateStart: '2026-11-27T15:00:00.000Z',
      comments: '',
      taxTotal: 0,
      hostedUrl: 'https://invoices.test/i/x',
    };
    expect(await adapter.createInvoice(portalId, fixed, { status: 'open', currency: 'JPY', total: 1500, amountPaid: 0, balanceDue: 1500 })).toBe('43');
  });

  it('a contact create HubSpot refuses as a duplicate email (search index behind) answers the existing contact', async () => {
    const adapter = adapterFor(NOCK_BASE);
    hub().post('/crm/objects/2026-03/contacts/search').reply(200, noResults);
    hub()
      .post('/crm/objects/2026-03/contacts', (b: { properties: Record<string, string> }) => b.properties.email === 'late@example.com')
      .reply(409, { status: 'error', message: 'Contact already exists. Existing ID: 555', correlationId: 'c-dup', category: 'CONFLICT' });
    expect(await adapter.ensureContact(portalId, { email: 'late@example.com', name: null, companyName: null })).toEqual({ id: '555', created: false });
  });

  it('creates line items with the line item -> invoice type HubSpot names in its associations schema (looked up once), not a hard-coded id', async () => {
    const adapter = adapterFor(NOCK_BASE);
    hub()
      .get('/crm/associations/2026-03/line_items/invoices/labels')
      .once()
      .reply(200, {
        results: [
          { category: 'HUBSPOT_DEFINED', typeId: 1410, label: null },
          { category: 'USER_DEFINED', typeId: 7, label: 'Billing' },
        ],
      });
    const types: number[] = [];
    hub()
      .post('/crm/objects/2026-03/line_items/batch/create')
      .times(2)
      .reply(201, (_uri, body) => {
        const inputs = (body as { inputs: Array<{ properties: Record<string, string>; associations: Array<{ types: Array<{ associationTypeId: number }> }> }> })
          .inputs;
        for (const input of inputs) types.push(input.associations[0]!.types[0]!.associationTypeId);
        return {
          status: 'COMPLETE',
          results: inputs.map((input, i) => ({ id: `7${i}`, properties: { hs_position_on_quote: input.properties.hs_position_on_quote } })),
        };
      });
    const line = { position: 0, name: 'A', description: '', sku: null, quantity: '1', unitPrice: 100, discount: null, taxRate: null };
    await adapter.createLineItems(portalId, '1', 'USD', [line]);
    await adapter.createLineItems(portalId, '2', 'USD', [line]);
    expect(types).toEqual([1410, 1410]);
  });

  it("5xx on a create after retries is an upstream error with HubSpot's correlation id; the daily limit is not retried", async () => {
    const adapter = adapterFor(NOCK_BASE);
    hub().post('/crm/objects/2026-03/line_items/batch/create').reply(500, { status: 'error', message: 'boom', correlationId: 'c-9' });
    lineItemToInvoiceType();
    const err = await adapter
      .createLineItems(portalId, '1', 'USD', [
        { position: 0, name: 'A', description: '', sku: null, quantity: '1', unitPrice: 100, discount: null, taxRate: null },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('upstream_error');
    expect((err as DomainError).message).toMatch(/status 500.*c-9/);

    propertiesCreated();
    hub().patch('/crm/objects/2026-03/invoices/5').reply(429, { status: 'error', message: 'daily', policyName: 'DAILY' });
    await expect(adapter.setState(portalId, '5', { status: 'paid', currency: 'USD', total: 1, amountPaid: 1, balanceDue: 0 })).rejects.toThrow(
      /daily API limit/,
    );
  });

  describe('tax rate groups on mirrored line items', () => {
    const TAX_RATES = '/tax-rates/2026-03/tax-rates';
    const group = (id: string, percentageRate: number, active = true) => ({
      id,
      name: `Tax ${id}`,
      label: `Tax ${id}`,
      percentageRate,
      active,
      createdAt: '2025-01-06T09:00:00Z',
      updatedAt: '2025-01-06T09:00:00Z',
    });
    const taxedLine = (position: number, taxRate: string | null) => ({
      position,
      name: `L${position}`,
      description: '',
      sku: null,
      quantity: '1',
      unitPrice: 100,
      discount: null,
      taxRate,
    });
    /** Captures the properties of each created line item by position. */
    function lineItemsCreated(times = 1): Map<number, Record<string, string>> {
      const sent = new Map<number, Record<string, string>>();
      hub()
        .post('/crm/objects/2026-03/line_items/batch/create')
        .times(times)
        .reply(201, (_uri, body) => {
          const b = body as { inputs: Array<{ properties: Record<string, string> }> };
          for (const input of b.inputs) sent.set(Number(input.properties.hs_position_on_quote), input.properties);
          return lineResults(b);
        });
      return sent;
    }

    it('a taxed line gets the one active group with its rate (paged list, decimals compared normalised, read once per portal)', async () => {
      const adapter = adapterFor(NOCK_BASE);
      lineItemToInvoiceType();
      hub()
        .get(TAX_RATES)
        .once()
        .reply(200, { results: [group('11', 8.25, false), group('12', 10)], paging: { next: { after: 'p2', link: 'x' } } });
      hub()
        .get(TAX_RATES)
        .query({ after: 'p2' })
        .once()
        .reply(200, { results: [group('13', 8.25)] });
      const sent = lineItemsCreated(2);
      await adapter.createLineItems(portalId, '1', 'USD', [taxedLine(0, '8.250'), taxedLine(1, null), taxedLine(2, '0.00'), taxedLine(3, '10')]);
      expect(sent.get(0)).toMatchObject({ hs_tax_rate_group_id: '13' });
      expect(sent.get(1)).not.toHaveProperty('hs_tax_rate_group_id');
      expect(sent.get(2)).not.toHaveProperty('hs_tax_rate_group_id');
      expect(sent.get(3)).toMatchObject({ hs_tax_rate_group_id: '12' });
      // The library is cached for the portal: the next batch does not list it again.
      await adapter.createLineItems(portalId, '2', 'USD', [taxedLine(4, '8.25')]);
      expect(sent.get(4)).toMatchObject({ hs_tax_rate_group_id: '13' });
    });

    it('untaxed lines do not read the library at all', async () => {
      const adapter = adapterFor(NOCK_BASE);
      lineItemToInvoiceType();
      const library = hub()
        .get(TAX_RATES)
        .reply(200, { results: [group('1', 0)] });
      const sent = lineItemsCreated();
      await adapter.createLineItems(portalId, '1', 'USD', [taxedLine(0, null), taxedLine(1, '0')]);
      expect([...sent.values()].map((p) => p.hs_tax_rate_group_id)).toEqual([undefined, undefined]);
      expect(library.isDone()).toBe(false);
      nock.cleanAll();
    });

    it('no group with the rate, or two active groups with it: no group on the line, a warning naming the rate, the lines are still created', async () => {
      const warnings: string[] = [];
      const capture = pino({ level: 'warn' }, { write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg) });
      const adapter = adapterFor(NOCK_BASE, capture);
      lineItemToInvoiceType();
      hub()
        .get(TAX_RATES)
        .reply(200, { results: [group('21', 21), group('22', 21.0), group('7', 7, false)] });
      const sent = lineItemsCreated();
      const made = await adapter.createLineItems(portalId, '1', 'USD', [taxedLine(0, '21'), taxedLine(1, '7'), taxedLine(2, '19')]);
      expect(made.map((m) => m.position).sort()).toEqual([0, 1, 2]);
      for (const p of [0, 1, 2]) expect(sent.get(p)).not.toHaveProperty('hs_tax_rate_group_id');
      expect(warnings).toEqual([
        expect.stringMatching(/several active HubSpot tax rate groups have the rate 21 %/),
        expect.stringMatching(/no active HubSpot tax rate group has the rate 7 %/),
        expect.stringMatching(/no active HubSpot tax rate group has the rate 19 %/),
      ]);
    });

    it.each([
      ['403 MISSING_SCOPES', 403, { status: 'error', message: 'missing scopes', category: 'MISSING_SCOPES', correlationId: 'c-tax' }],
      ['a 5xx after retries', 503, { status: 'error', message: 'unavailable', correlationId: 'c-tax' }],
    ])('a library read that fails (%s) is no group on the line, and the failure is not remembered', async (_name, status, body) => {
      const adapter = adapterFor(NOCK_BASE);
      lineItemToInvoiceType();
      // A refused scope is answered at once; a 5xx is retried (twice, in the mirror's client).
      hub()
        .get(TAX_RATES)
        .times(status === 403 ? 1 : 3)
        .reply(status, body);
      const sent = lineItemsCreated(2);
      await adapter.createLineItems(portalId, '1', 'USD', [taxedLine(0, '8.25')]);
      expect(sent.get(0)).not.toHaveProperty('hs_tax_rate_group_id');
      // Once HubSpot answers (e.g. the app was reconnected with the scope), the next batch uses it.
      hub()
        .get(TAX_RATES)
        .reply(200, { results: [group('13', 8.25)] });
      await adapter.createLineItems(portalId, '2', 'USD', [taxedLine(1, '8.25')]);
      expect(sent.get(1)).toMatchObject({ hs_tax_rate_group_id: '13' });
    });
  });
});

describe("the app's custom invoice properties (nock)", () => {
  const TOKEN = 'nock-props-token';
  let portalId: number;
  /** Requests HubSpot answered, as "METHOD /path". */
  let calls: string[];

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  beforeEach(() => {
    portalId = hubPortal(sandbox);
    tokens.set(portalId, TOKEN);
    routes.set(portalId, adapterFor(NOCK_BASE));
    calls = [];
  });
  afterEach(() => {
    routes.delete(portalId);
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(() => nock.enableNetConnect());

  const hub = () => {
    const scope = nock(NOCK_BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
    scope.on('request', (req: { method: string; path: string }) => calls.push(`${req.method} ${req.path.split('?')[0]}`));
    return scope;
  };
  /** The associations schema lookup of the line item -> invoice type (once per adapter and portal). */
  const lineItemToInvoiceType = () =>
    hub()
      .get('/crm/associations/2026-03/line_items/invoices/labels')
      .optionally()
      .reply(200, { results: [{ category: 'HUBSPOT_DEFINED', typeId: 410, label: null }] });
  /** The portal's tax rate library, read when a line has a tax rate (once per adapter and portal): empty here. */
  const emptyTaxRateLibrary = () => hub().get('/tax-rates/2026-03/tax-rates').optionally().reply(200, { results: [] });
  const propertyCalls = () => calls.filter((c) => c.includes('/crm/properties/2026-03/'));
  const groupMissing = () =>
    hub()
      .get(GROUP_PATH)
      .reply(404, { status: 'error', message: `Unable to find property group ${MIRROR_PROPERTY_GROUP}`, category: 'OBJECT_NOT_FOUND' });
  const groupExists = () => hub().get(GROUP_PATH).reply(200, { name: MIRROR_PROPERTY_GROUP, label: 'Invoices app', displayOrder: -1, archived: false });
  const allProperties = (body: { inputs: unknown[] }) => ({
    status: 'COMPLETE',
    results: body.inputs,
    startedAt: '2026-11-28T12:00:00Z',
    completedAt: '2026-11-28T12:00:00Z',
  });
  const alreadyExists = (names: readonly string[]) => ({
    status: 'COMPLETE',
    results: [],
    errors: names.map((name) => ({
      status: 'error',
      category: 'OBJECT_ALREADY_EXISTS',
      subCategory: 'Properties.PROPERTY_WITH_NAME_EXISTS',
      message: `A property named '${name}' already exists.`,
      context: { name: [name] },
    })),
    numErrors: names.length,
    startedAt: '2026-11-28T12:00:00Z',
    completedAt: '2026-11-28T12:00:00Z',
  });
  const missingScopes = {
    status: 'error',
    message: "This app hasn't been granted all required scopes to make this call.",
    correlationId: 'c-scope',
    errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.schemas.invoices.write'] } }],
    category: 'MISSING_SCOPES',
  };

  /** Everything after the properties: search, create, line items, associations, open. */
  function mirrorsInto(hubspotInvoiceId: string, invoiceId: string) {
    hub().post('/crm/objects/2026-03/invoices/search').reply(200, { total: 0, results: [] });
    hub()
      .post('/crm/objects/2026-03/invoices', (b: { properties: Record<string, string> }) => b.properties[MIRROR_PROPERTY.invoiceId] === invoiceId)
      .reply(201, { id: hubspotInvoiceId, properties: {} });
    hub().get(`/crm/objects/2026-03/invoices/${hubspotInvoiceId}/associations/line_items`).query({ limit: '500' }).reply(200, { results: [] });
    lineItemToInvoiceType();
    emptyTaxRateLibrary();
    hub()
      .post('/crm/objects/2026-03/line_items/batch/create')
      .reply(201, (_uri, body) => ({
        status: 'COMPLETE',
        results: (body as { inputs: Array<{ properties: Record<string, string> }> }).inputs.map((input, i) => ({
          id: `${hubspotInvoiceId}${i}`,
          properties: { hs_position_on_quote: input.properties.hs_position_on_quote },
        })),
      }));
    for (const path of ['contacts/101', 'companies/201', 'deals/301', 'quotes/401']) {
      hub().put(`/crm/objects/2026-03/invoices/${hubspotInvoiceId}/associations/default/${path}`).reply(200, { status: 'COMPLETE', results: [] });
    }
    hub().patch(`/crm/objects/2026-03/invoices/${hubspotInvoiceId}`).reply(200, { id: hubspotInvoiceId, properties: {} });
  }

  it('creates the group and the properties before the first invoice of a portal, and not again for the next one', async () => {
    const first = (await finalizedInvoice(portalId)).invoice;
    groupMissing();
    hub()
      .post('/crm/properties/2026-03/invoices/groups', (b: { name: string; label: string }) => b.name === MIRROR_PROPERTY_GROUP && b.label !== '')
      .reply(201, { name: MIRROR_PROPERTY_GROUP, label: 'Invoices app', archived: false });
    hub()
      .post(
        '/crm/properties/2026-03/invoices/batch/create',
        (b: { inputs: Array<{ name: string; groupName: string; type: string; fieldType: string; label: string }> }) =>
          b.inputs.map((i) => i.name).join() === MIRROR_CUSTOM_PROPERTIES.join() &&
          b.inputs.every((i) => i.groupName === MIRROR_PROPERTY_GROUP && i.type && i.fieldType && i.label),
      )
      .reply(201, (_uri, body) => allProperties(body as { inputs: unknown[] }));
    mirrorsInto('8800001', first.id);
    await queue.runDue();
    expect(await findMirror(db, portalId, first.id)).toMatchObject({ hubspotInvoiceId: '8800001', syncedStatus: 'open', attempts: 0, lastError: null });
    // The properties exist before the invoice that carries them is searched for or created.
    expect(calls.slice(0, 4)).toEqual([
      `GET ${GROUP_PATH}`,
      'POST /crm/properties/2026-03/invoices/groups',
      'POST /crm/properties/2026-03/invoices/batch/create',
      'POST /crm/objects/2026-03/invoices/search',
    ]);

    calls = [];
    const second = (await finalizedInvoice(portalId)).invoice;
    mirrorsInto('8800002', second.id);
    await queue.runDue();
    expect(await findMirror(db, portalId, second.id)).toMatchObject({ hubspotInvoiceId: '8800002', syncedStatus: 'open', attempts: 0 });
    expect(calls.length).toBeGreaterThan(0);
    expect(propertyCalls()).toEqual([]);
  });

  it('an existing group is found with GET and not created again; OBJECT_ALREADY_EXISTS per property counts as done', async () => {
    const { invoice } = await finalizedInvoice(portalId);
    groupExists();
    hub().post('/crm/properties/2026-03/invoices/batch/create').reply(207, alreadyExists(MIRROR_CUSTOM_PROPERTIES));
    mirrorsInto('8800003', invoice.id);
    await queue.runDue();
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({ hubspotInvoiceId: '8800003', syncedStatus: 'open', attempts: 0, lastError: null });
    // No POST of the group: HubSpot does not document what a second create of a group answers.
    expect(propertyCalls()).toEqual([`GET ${GROUP_PATH}`, 'POST /crm/properties/2026-03/invoices/batch/create']);
  });

  it('a group another worker created between GET and POST (409) counts as done', async () => {
    const adapter = adapterFor(NOCK_BASE);
    groupMissing();
    hub().post('/crm/properties/2026-03/invoices/groups').reply(409, { status: 'error', message: 'exists', category: 'OBJECT_ALREADY_EXISTS' });
    hub().post('/crm/properties/2026-03/invoices/batch/create').reply(207, alreadyExists(MIRROR_CUSTOM_PROPERTIES));
    await adapter.ensureMirrorProperties(portalId);
  });

  it('some properties created, some existing: done; any other refusal fails the attempt', async () => {
    const adapter = adapterFor(NOCK_BASE);
    groupMissing();
    hub().post('/crm/properties/2026-03/invoices/groups').reply(201, { name: MIRROR_PROPERTY_GROUP, label: 'Invoices app' });
    hub()
      .post('/crm/properties/2026-03/invoices/batch/create')
      .reply(207, {
        ...alreadyExists([MIRROR_PROPERTY.invoiceId]),
        results: [{ name: MIRROR_PROPERTY.status }],
        errors: [...alreadyExists([MIRROR_PROPERTY.invoiceId]).errors, { status: 'error', category: 'VALIDATION_ERROR', message: 'label too long' }],
      });
    await expect(adapter.ensureMirrorProperties(portalId)).rejects.toThrow(/refused 1 of 8: VALIDATION_ERROR: label too long/);

    // Not remembered as done: the next call asks HubSpot again.
    groupExists();
    hub()
      .post('/crm/properties/2026-03/invoices/batch/create')
      .reply(207, { ...alreadyExists(MIRROR_CUSTOM_PROPERTIES.slice(0, 2)), results: MIRROR_CUSTOM_PROPERTIES.slice(2).map((name) => ({ name })) });
    await adapter.ensureMirrorProperties(portalId);
    await adapter.ensureMirrorProperties(portalId); // remembered now: no request (nock would refuse one)
  });

  it('a refused scope (403 MISSING_SCOPES) is recorded as the mirror error, and the mirror is retried later', async () => {
    const { invoice } = await finalizedInvoice(portalId);
    hub().get(GROUP_PATH).reply(403, missingScopes);
    expect(await queue.runDue()).toBe(1);
    const parked = await findMirror(db, portalId, invoice.id);
    expect(parked).toMatchObject({ hubspotInvoiceId: null, syncedStatus: null, attempts: 1, lastError: expect.stringMatching(/lacks HubSpot scopes/) });
    expect(parked!.nextAttemptAt!.getTime()).toBe(clock.now().getTime() + 6 * 3600_000);
    // Nothing was created without the properties.
    expect(calls).toEqual([`GET ${GROUP_PATH}`]);
    expect(queue.size()).toBe(0);

    // The app is reconnected with the scope; the sweep picks the mirror up once its time comes.
    clock.set('2026-11-28T18:01:00Z');
    try {
      expect(await sweepInvoiceMirrors({ db, clock: clock.now, jobs: queue }, { portalId })).toBe(1);
      groupMissing();
      hub().post('/crm/properties/2026-03/invoices/groups').reply(201, { name: MIRROR_PROPERTY_GROUP, label: 'Invoices app' });
      hub()
        .post('/crm/properties/2026-03/invoices/batch/create')
        .reply(201, (_uri, body) => allProperties(body as { inputs: unknown[] }));
      mirrorsInto('8800004', invoice.id);
      await queue.runDue();
    } finally {
      clock.set('2026-11-28T12:00:00Z');
    }
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({
      hubspotInvoiceId: '8800004',
      syncedStatus: 'open',
      attempts: 0,
      lastError: null,
      nextAttemptAt: null,
    });
  });
});

describe("the app's custom invoice properties (sandbox)", () => {
  it('a fresh portal without the properties gets the group and the properties on its first mirror, then the invoice', async () => {
    const portalId = hubPortal(sandbox);
    for (const name of MIRROR_CUSTOM_PROPERTIES) expect(sandbox.store.isKnownProperty(portalId, 'invoices', name)).toBe(false);
    expect(sandbox.store.propertyGroup(portalId, 'invoices', MIRROR_PROPERTY_GROUP)).toBeUndefined();

    const { invoice } = await finalizedInvoice(portalId);
    await queue.runDue();

    for (const name of MIRROR_CUSTOM_PROPERTIES) expect(sandbox.store.isKnownProperty(portalId, 'invoices', name)).toBe(true);
    expect(sandbox.store.propertyGroup(portalId, 'invoices', MIRROR_PROPERTY_GROUP)).toBe('Invoices app');
    const [hub, ...more] = hubInvoices(sandbox, portalId);
    expect(more).toEqual([]);
    expect(hub!.properties).toMatchObject({ hs_invoice_status: 'open', [MIRROR_PROPERTY.invoiceId]: invoice.id, [MIRROR_PROPERTY.status]: 'open' });
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({ syncedStatus: 'open', attempts: 0, lastError: null });
  });

  it('a portal that has them already (another process created them): the sandbox says so and the mirror goes on', async () => {
    const portalId = hubPortal(sandbox);
    sandbox.store.definePropertyGroup(portalId, 'invoices', MIRROR_PROPERTY_GROUP, 'Invoices app');
    sandbox.store.defineProperty(portalId, 'invoices', MIRROR_PROPERTY.invoiceId);
    const { invoice } = await finalizedInvoice(portalId);
    await queue.runDue();
    for (const name of MIRROR_CUSTOM_PROPERTIES) expect(sandbox.store.isKnownProperty(portalId, 'invoices', name)).toBe(true);
    expect(hubInvoices(sandbox, portalId).map((i) => i.properties[MIRROR_PROPERTY.invoiceId])).toEqual([invoice.id]);
  });

  it('a token without crm.schemas.invoices.write: parked with the scope error, mirrored after the app is reconnected', async () => {
    const portalId = hubPortal(sandbox);
    tokens.set(
      portalId,
      sandbox.store.issueTokens(
        portalId,
        ALL_SCOPES.filter((s) => s !== 'crm.schemas.invoices.write'),
      ).accessToken,
    );
    const { invoice } = await finalizedInvoice(portalId);
    await queue.runDue();
    expect(hubInvoices(sandbox, portalId)).toEqual([]);
    expect(sandbox.store.isKnownProperty(portalId, 'invoices', MIRROR_PROPERTY.invoiceId)).toBe(false);
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({ syncedStatus: null, lastError: expect.stringMatching(/lacks HubSpot scopes/) });

    tokens.set(portalId, sandbox.store.issueTokens(portalId).accessToken);
    clock.set('2026-11-28T18:01:00Z');
    try {
      expect(await sweepInvoiceMirrors({ db, clock: clock.now, jobs: queue }, { portalId })).toBe(1);
      await queue.runDue();
    } finally {
      clock.set('2026-11-28T12:00:00Z');
    }
    expect(hubInvoices(sandbox, portalId).map((i) => i.properties.hs_invoice_status)).toEqual(['open']);
    expect(await findMirror(db, portalId, invoice.id)).toMatchObject({ syncedStatus: 'open', lastError: null });
  });
});

describe('unit discount', () => {
  it('is exact when the quantity divides the line discount, else rounded six places past the currency', () => {
    expect(unitDiscount(1000, '4', 'USD')).toBe('2.5');
    expect(unitDiscount(1000, '3', 'USD')).toBe('3.33333333');
    expect(unitDiscount(500, '1.5', 'JPY')).toBe('333.333333');
    expect(unitDiscount(2, '3', 'USD')).toBe('0.00666667');
  });
});

describe('pg-boss', () => {
  /** Waits (up to 15 s) until pg-boss's worker has mirrored the invoice. */
  async function mirrored(portalId: number, invoiceId: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await findMirror(db, portalId, invoiceId))?.syncedStatus !== 'open') {
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'runs the mirror job on PostgreSQL',
    async () => {
      const boss = new PgBossQueue({
        connectionString: process.env.TEST_DATABASE_URL!,
        logger,
        schema: 'pgboss_test',
        pollingIntervalSeconds: 0.5,
        retryDelaySeconds: 1,
      });
      await registerInvoiceMirrorJobs({ ...mirrorDeps, jobs: boss });
      await boss.start();
      try {
        const app = testApp(db, { clock: clock.now, jobs: boss });
        const portalId = hubPortal(sandbox);
        const fin = await invoiceIn(app.as(portalId), 'open', mirrorDraft());
        await mirrored(portalId, fin.id);
        expect(await findMirror(db, portalId, fin.id)).toMatchObject({ syncedStatus: 'open', attempts: 0 });
        expect(hubInvoices(sandbox, portalId).map((i) => i.properties[MIRROR_PROPERTY.number])).toEqual([fin.number]);

        // A failing attempt is retried by pg-boss.
        let failures = 0;
        const real = adapterFor(sandbox.url);
        const failingOnce: InvoiceMirrorPort = Object.assign(Object.create(real) as InvoiceMirrorPort, {
          createInvoice: async (...args: Parameters<InvoiceMirrorPort['createInvoice']>) => {
            if (failures === 0) {
              failures += 1;
              throw new DomainError('upstream_error', 'HubSpot failed: status 503');
            }
            return real.createInvoice(...args);
          },
        });
        routes.set(portalId, failingOnce);
        const second = await invoiceIn(app.as(portalId), 'open', mirrorDraft());
        await mirrored(portalId, second.id);
        expect(failures).toBe(1);
        expect(await findMirror(db, portalId, second.id)).toMatchObject({ syncedStatus: 'open', attempts: 0, lastError: null });
        expect(hubInvoices(sandbox, portalId)).toHaveLength(2);
      } finally {
        routes.clear();
        await boss.stop();
      }
    },
    60_000,
  );
});
