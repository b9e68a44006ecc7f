import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { pino } from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { SCOPES, type Actor } from '../src/domain/actor.js';
import { resyncChanges } from '../src/app/resync-invoice.js';
import { uninstallPortal } from '../src/app/uninstall-portal.js';
import { updateInvoice } from '../src/app/update-invoice.js';
import { verifyHubSpotSignatureV2 } from '../src/http/hubspot-signature.js';
import { SANDBOX_SEED_IDS as IDS } from '../tools/hubspot-sandbox/index.js';
import { cardRequest, hubspotSignedUri, SANDBOX_CLIENT_SECRET, TEST_ORIGIN, v3Signature } from './fakes/hubspot-signing.js';
import { fixedClock, newPortalId } from './helpers/app.js';
import { appOnSandbox } from './helpers/crm-sandbox.js';
import { openTestDb } from './helpers/db.js';
import { draftBody } from './helpers/factories.js';
import { invoiceIn } from './helpers/invoices.js';

let db: Knex;
let t: Awaited<ReturnType<typeof appOnSandbox>>;
// Wall-clock time: the CRM sandbox checks its access tokens against the real clock.
const clock = fixedClock(new Date().toISOString());
const now = () => clock.now().getTime();
const PATH = '/webhooks/hubspot';
const DEAL = IDS.deals.usd;

beforeAll(async () => {
  db = await openTestDb();
  t = await appOnSandbox(db, { portalCount: 16, clock: clock.now });
});
afterAll(async () => {
  await t.sandbox.close();
  await db.destroy();
});

let lastEventId = 5000;
/** One event as HubSpot's Webhooks API sends it (numbers for ids, ms timestamps). */
function event(portalId: number, subscriptionType: string, fields: Record<string, unknown> = {}) {
  return {
    eventId: ++lastEventId,
    subscriptionId: 4242,
    portalId,
    appId: 424242,
    occurredAt: now() - 2000,
    subscriptionType,
    attemptNumber: 0,
    changeSource: 'CRM_UI',
    sourceId: 'userId:7001',
    ...fields,
  };
}

/** A batch signed v3, as HubSpot sends webhooks to apps. */
function sendV3(events: unknown, opts: { timestamp?: number; secret?: string } = {}) {
  return cardRequest(t.app, {
    method: 'POST',
    path: PATH,
    body: events as object,
    timestamp: opts.timestamp ?? now(),
    ...(opts.secret ? { secret: opts.secret } : {}),
  });
}

/** v1: hex SHA-256 of client secret + body (HubSpot's request-validation docs). */
function sendV1(events: unknown, secret = SANDBOX_CLIENT_SECRET) {
  const body = JSON.stringify(events);
  return supertest(t.app)
    .post(PATH)
    .set('Content-Type', 'application/json')
    .set('X-HubSpot-Signature-Version', 'v1')
    .set('X-HubSpot-Signature', createHash('sha256').update(`${secret}${body}`).digest('hex'))
    .send(body);
}

/** Draft fields remembering deal `dealId` as its source, with a copy of one of the deal's line items. */
function dealFields(dealId: string, fields: Record<string, unknown> = {}) {
  return {
    source: { objectType: 'deals', objectId: dealId },
    lineItems: [{ name: 'Onboarding', quantity: '1', unitPrice: 10000, hubspotLineItemId: `${dealId}0001` }],
    billTo: { contactId: '101', name: 'Ada Lovelace', email: 'ada@acme.example', companyName: 'Acme' },
    associations: { contacts: ['101', '102'], companies: ['201'], deals: [dealId] },
    ...fields,
  };
}

async function draftOf(portalId: number, dealId: string, fields: Record<string, unknown> = {}) {
  return (await invoiceIn(t.as(portalId), 'draft', dealFields(dealId, fields))).body as { id: string; version: number };
}

async function finalized(portalId: number, dealId: string) {
  return invoiceIn(t.as(portalId), 'open', dealFields(dealId));
}

const read = async (portalId: number, id: string) => (await t.as(portalId).get(`/api/v1/invoices/${id}`)).body;
const auditOf = async (portalId: number, id: string) =>
  (await t.as(portalId).get(`/api/v1/invoices/${id}/events`)).body.data as Array<{
    type: string;
    actor: { type: string; id: string | null };
    data: Record<string, unknown>;
  }>;
const ledgerRows = async (portalId: number) => Number((await db('processed_events').where({ source: 'hubspot', portal_id: portalId }).count({ n: '*' }))[0]!.n);

function logSink() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), text: () => lines.join('') };
}

describe('POST /webhooks/hubspot: deal changes mark drafts "source changed"', () => {
  it('marks only the drafts of that deal in that portal: not finalized ones, not other deals or portals', async () => {
    const [portal, other] = [t.nextPortal(), t.nextPortal()];
    const draft = await draftOf(portal, DEAL);
    const done = await finalized(portal, DEAL);
    const otherDeal = await draftOf(portal, IDS.deals.eur);
    const manual = (await t.as(portal).post('/api/v1/invoices', draftBody())).body;
    const otherPortal = await draftOf(other, DEAL);

    const res = await sendV3([
      event(portal, 'deal.propertyChange', { objectId: Number(DEAL), propertyName: 'amount', propertyValue: '1234.50' }),
      // Not something a draft copies: acknowledged, nothing marked.
      event(portal, 'deal.propertyChange', { objectId: Number(IDS.deals.eur), propertyName: 'dealname', propertyValue: 'Renamed' }),
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: 2, applied: 1, duplicate: 0, ignored: 1 });

    const marked = await read(portal, draft.id);
    expect(marked.sourceChanged).toBe(true);
    // A mark, not an edit: whoever is editing the draft keeps their version.
    expect(marked.version).toBe(draft.version);
    expect((await read(portal, done.id)).sourceChanged).toBe(false);
    expect((await read(portal, otherDeal.id)).sourceChanged).toBe(false);
    expect((await read(portal, manual.id)).sourceChanged).toBe(false);
    expect((await read(other, otherPortal.id)).sourceChanged).toBe(false);
    expect((await auditOf(portal, draft.id)).at(-1)).toMatchObject({
      type: 'invoice.source_changed',
      actor: { type: 'hubspot', id: null },
      data: { hubspotEvent: 'deal.propertyChange' },
    });
    expect((await auditOf(portal, done.id)).map((e) => e.type)).not.toContain('invoice.source_changed');
  });

  it('marks drafts when line items are associated with the deal or change, in legacy and generic formats', async () => {
    const portal = t.nextPortal();
    const [usd, eur, jpy] = [await draftOf(portal, DEAL), await draftOf(portal, IDS.deals.eur), await draftOf(portal, IDS.deals.jpy)];
    const res = await sendV3([
      event(portal, 'deal.associationChange', {
        associationType: 'DEAL_TO_LINE_ITEM',
        fromObjectId: Number(DEAL),
        toObjectId: 90019999,
        associationRemoved: false,
        isPrimaryAssociation: false,
      }),
      // A line item copied on the EUR draft changed price in HubSpot.
      event(portal, 'line_item.propertyChange', { objectId: Number(`${IDS.deals.eur}0001`), propertyName: 'price', propertyValue: '12.50' }),
      event(portal, 'object.associationChange', {
        fromObjectTypeId: '0-8',
        toObjectTypeId: '0-3',
        fromObjectId: 555,
        toObjectId: Number(IDS.deals.jpy),
        associationRemoved: true,
        associationTypeId: 20,
      }),
      event(portal, 'contact.associationChange', { associationType: 'CONTACT_TO_COMPANY', fromObjectId: 101, toObjectId: 201, associationRemoved: false }),
    ]);
    expect(res.body).toEqual({ received: 4, applied: 3, duplicate: 0, ignored: 1 });
    for (const draft of [usd, eur, jpy]) expect((await read(portal, draft.id)).sourceChanged).toBe(true);
  });

  it('clears the mark when the draft is re-synced from HubSpot', async () => {
    const portal = t.nextPortal();
    const api = t.as(portal);
    const draft = (await api.post('/api/v1/invoices', { source: { objectType: 'deals', objectId: DEAL } })).body;
    expect(draft.sourceChanged).toBe(false);
    t.sandbox.store.setDealLineItems(portal, DEAL, [{ name: 'Only line now', quantity: '2', price: '99.95', hs_line_item_currency_code: 'USD' }]);
    await sendV3([event(portal, 'deal.propertyChange', { objectId: Number(DEAL), propertyName: 'amount', propertyValue: '199.90' })]);
    expect((await read(portal, draft.id)).sourceChanged).toBe(true);

    const resynced = await api.post(`/api/v1/invoices/${draft.id}/resync`);
    expect(resynced.status).toBe(200);
    expect(resynced.body).toMatchObject({ sourceChanged: false, total: 19990 });
  });

  it('keeps the mark when HubSpot reports a change after the resync read the deal', async () => {
    const portal = t.nextPortal();
    const draft = (await t.as(portal).post('/api/v1/invoices', { source: { objectType: 'deals', objectId: DEAL } })).body;
    const actor: Actor = { portalId: portal, userId: '1', kind: 'api_token', scopes: SCOPES };
    const resync = await resyncChanges(t.deps, actor, draft.id);
    clock.set(new Date(now() + 1000).toISOString());
    await sendV3([event(portal, 'deal.propertyChange', { objectId: Number(DEAL), propertyName: 'amount', propertyValue: '1.00' })]);
    const written = await updateInvoice(t.deps, actor, draft.id, resync.version, resync.changes, { sourceReadAt: resync.sourceReadAt });
    expect(written.sourceChangedAt).not.toBeNull();
    expect((await read(portal, draft.id)).sourceChanged).toBe(true);
  });
});

describe('POST /webhooks/hubspot: contact deletions', () => {
  it('drops the contact from drafts, clears a privacy-deleted billing contact, and leaves finalized invoices as they were', async () => {
    const portal = t.nextPortal();
    const draft = await draftOf(portal, DEAL);
    const done = await finalized(portal, DEAL);
    const before = await read(portal, done.id);

    const deleted = await sendV3([event(portal, 'contact.deletion', { objectId: 101, changeFlag: 'DELETED' })]);
    expect(deleted.body).toMatchObject({ applied: 1 });
    const afterDeletion = await read(portal, draft.id);
    expect(afterDeletion.associations.contacts).toEqual(['102']);
    // A plain deletion keeps the draft's own billing details.
    expect(afterDeletion.billTo).toMatchObject({ contactId: '101', name: 'Ada Lovelace', email: 'ada@acme.example' });
    expect(afterDeletion.version).toBe(draft.version + 1);

    await sendV3([event(portal, 'contact.privacyDeletion', { objectId: 101 })]);
    const afterPrivacy = await read(portal, draft.id);
    expect(afterPrivacy.billTo).toBeNull();
    expect(afterPrivacy.associations.contacts).toEqual(['102']);
    expect((await t.as(portal).post(`/api/v1/invoices/${draft.id}/finalize`)).status).toBe(422);

    const after = await read(portal, done.id);
    expect(after.associations).toEqual(before.associations);
    expect(after.billTo).toEqual(before.billTo);
    expect(after.version).toBe(before.version);

    expect((await auditOf(portal, draft.id)).filter((e) => e.type === 'invoice.contact_removed')).toEqual([
      expect.objectContaining({
        actor: { type: 'hubspot', id: null },
        data: expect.objectContaining({ contactId: '101', billToCleared: false, hubspotEvent: 'contact.deletion' }),
      }),
      expect.objectContaining({ data: expect.objectContaining({ contactId: '101', billToCleared: true, hubspotEvent: 'contact.privacyDeletion' }) }),
    ]);
    expect((await auditOf(portal, done.id)).filter((e) => e.type === 'invoice.contact_retained')).toHaveLength(2);
  });
});

describe('POST /webhooks/hubspot: delivery', () => {
  it('applies an event once however often it is delivered (v3 first, then a v1-signed retry)', async () => {
    const portal = t.nextPortal();
    const draft = await draftOf(portal, DEAL);
    const deletion = event(portal, 'contact.deletion', { objectId: 102 });
    const first = await sendV3([deletion, deletion]);
    expect(first.body).toEqual({ received: 2, applied: 1, duplicate: 1, ignored: 0 });
    const retry = await sendV1([{ ...deletion, attemptNumber: 1 }]);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ received: 1, applied: 0, duplicate: 1, ignored: 0 });
    expect((await auditOf(portal, draft.id)).filter((e) => e.type === 'invoice.contact_removed')).toHaveLength(1);
    expect((await read(portal, draft.id)).version).toBe(draft.version + 1);
    expect(await ledgerRows(portal)).toBe(1);
  });

  it('applies an event once when two deliveries arrive at the same time', async () => {
    const portal = t.nextPortal();
    const draft = await draftOf(portal, DEAL);
    const deletion = event(portal, 'contact.deletion', { objectId: 101 });
    const results = await Promise.all([sendV3([deletion]), sendV3([deletion]), sendV1([deletion])]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.reduce((n, r) => n + r.body.applied, 0)).toBe(1);
    expect((await auditOf(portal, draft.id)).filter((e) => e.type === 'invoice.contact_removed')).toHaveLength(1);
  });

  it('accepts v2 signatures (secret + method + URI + body)', async () => {
    const portal = t.nextPortal();
    const draft = await draftOf(portal, DEAL);
    const body = JSON.stringify([event(portal, 'deal.propertyChange', { objectId: Number(DEAL), propertyName: 'amount', propertyValue: '5' })]);
    const signature = createHash('sha256').update(`${SANDBOX_CLIENT_SECRET}POST${TEST_ORIGIN}${PATH}${body}`).digest('hex');
    const res = await supertest(t.app)
      .post(PATH)
      .set('Content-Type', 'application/json')
      .set('X-HubSpot-Signature-Version', 'v2')
      .set('X-HubSpot-Signature', signature)
      .send(body);
    expect(res.status).toBe(200);
    expect((await read(portal, draft.id)).sourceChanged).toBe(true);
  });

  it('acknowledges events of unknown and uninstalled portals without acting, except privacy deletions', async () => {
    const unknown = await sendV3([event(newPortalId(), 'deal.propertyChange', { objectId: Number(DEAL), propertyName: 'amount', propertyValue: '1' })]);
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({ received: 1, applied: 0, duplicate: 0, ignored: 1 });

    const portal = t.nextPortal();
    const draft = await draftOf(portal, DEAL);
    expect(await uninstallPortal(t.deps, portal)).toBe(true);
    const res = await sendV3([
      event(portal, 'deal.propertyChange', { objectId: Number(DEAL), propertyName: 'amount', propertyValue: '1' }),
      // The data is still here, so the person's deletion request still applies to it.
      event(portal, 'contact.privacyDeletion', { objectId: 101 }),
    ]);
    expect(res.body).toEqual({ received: 2, applied: 1, duplicate: 0, ignored: 1 });
    const after = await read(portal, draft.id);
    expect(after.sourceChanged).toBe(false);
    expect(after.billTo).toBeNull();
  });
});

describe('POST /webhooks/hubspot: refusals', () => {
  it('answers 401 to a wrong or missing signature, applies nothing, and logs no secret', async () => {
    const portal = t.nextPortal();
    const draft = await draftOf(portal, DEAL);
    const events = [event(portal, 'deal.propertyChange', { objectId: Number(DEAL), propertyName: 'amount', propertyValue: '9' })];
    const { logger, text } = logSink();
    const app = createApp({ ...t.deps, logger });
    const body = JSON.stringify(events);
    const ts = String(now());
    const wrongV3 = v3Signature('not-the-client-secret', 'POST', hubspotSignedUri(PATH), body, ts);
    const refused = [
      await supertest(app)
        .post(PATH)
        .set('Content-Type', 'application/json')
        .set('X-HubSpot-Signature-v3', wrongV3)
        .set('X-HubSpot-Request-Timestamp', ts)
        .send(body),
      await supertest(app)
        .post(PATH)
        .set('Content-Type', 'application/json')
        .set('X-HubSpot-Signature-Version', 'v1')
        .set('X-HubSpot-Signature', 'ab'.repeat(32))
        .send(body),
      await supertest(app).post(PATH).set('Content-Type', 'application/json').send(body),
      await sendV1(events, 'not-the-client-secret'),
      // Signed, then changed on the way.
      await cardRequest(app, { method: 'POST', path: PATH, body: events, tamperedBody: [{ ...events[0], objectId: 9002 }], timestamp: now() }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
    expect((await read(portal, draft.id)).sourceChanged).toBe(false);
    expect(await ledgerRows(portal)).toBe(0);
    expect(text()).toContain('"reason":"mismatch"');
    expect(text()).toContain('"reason":"missing_headers"');
    expect(text()).not.toContain(SANDBOX_CLIENT_SECRET);
    expect(text()).not.toContain(wrongV3);
  });

  it('answers 401 to a v3 timestamp older than 5 minutes, even with a valid v1 signature beside it', async () => {
    const portal = t.nextPortal();
    const draft = await draftOf(portal, DEAL);
    const events = [event(portal, 'deal.propertyChange', { objectId: Number(DEAL), propertyName: 'amount', propertyValue: '9' })];
    const body = JSON.stringify(events);
    const stale = String(now() - 6 * 60_000);
    const res = await supertest(t.app)
      .post(PATH)
      .set('Content-Type', 'application/json')
      .set('X-HubSpot-Signature-v3', v3Signature(SANDBOX_CLIENT_SECRET, 'POST', hubspotSignedUri(PATH), body, stale))
      .set('X-HubSpot-Request-Timestamp', stale)
      .set('X-HubSpot-Signature-Version', 'v1')
      .set('X-HubSpot-Signature', createHash('sha256').update(`${SANDBOX_CLIENT_SECRET}${body}`).digest('hex'))
      .send(body);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect((await read(portal, draft.id)).sourceChanged).toBe(false);
  });

  it('answers 400 naming the field for a body that is not a batch of valid events, and applies none of it', async () => {
    const portal = t.nextPortal();
    const draft = await draftOf(portal, DEAL);
    const good = event(portal, 'deal.propertyChange', { objectId: Number(DEAL), propertyName: 'amount', propertyValue: '9' });
    const { portalId: _omitted, ...withoutPortal } = event(portal, 'contact.deletion', { objectId: 101 });
    const cases: Array<[unknown, string]> = [
      [{ events: [good] }, ''],
      [[good, withoutPortal], '[1].portalId'],
      [[event(portal, 'contact.deletion')], '[0].objectId'],
      [[event(portal, 'deal.propertyChange', { objectId: 'abc', propertyName: 'amount' })], '[0].objectId'],
      [[{ ...good, occurredAt: '2026-11-28' }], '[0].occurredAt'],
    ];
    for (const [body, path] of cases) {
      const res = await sendV3(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect((await read(portal, draft.id)).sourceChanged).toBe(false);
    expect(await ledgerRows(portal)).toBe(0);
  });
});

describe('signature v2', () => {
  it("matches the example in HubSpot's documentation", () => {
    const input = { clientSecret: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy', method: 'GET', uri: 'https://www.example.com/webhook_uri', rawBody: '' };
    const signature = 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e';
    expect(verifyHubSpotSignatureV2({ ...input, signature })).toBe(true);
    expect(verifyHubSpotSignatureV2({ ...input, method: 'POST', signature })).toBe(false);
    expect(verifyHubSpotSignatureV2({ ...input, signature: undefined })).toBe(false);
  });
});
