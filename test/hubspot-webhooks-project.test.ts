import { Writable } from 'node:stream';
import { Signature } from '@hubspot/api-client';
import type { Knex } from 'knex';
import { pino } from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { SANDBOX_SEED_IDS as IDS } from '../tools/hubspot-sandbox/index.js';
import { hubspotSignedUri, SANDBOX_CLIENT_SECRET, TEST_ORIGIN, v3Signature } from './fakes/hubspot-signing.js';
import { fixedClock } from './helpers/app.js';
import { appOnSandbox } from './helpers/crm-sandbox.js';
import { openTestDb } from './helpers/db.js';
import { invoiceIn } from './helpers/invoices.js';

/*
 * Webhooks as a project app (platform 2025.2) receives them: the subscriptions its webhooks
 * component declares (crmObjects: generic `object.*` events naming the type in `objectTypeId`;
 * legacyCrmObjects: `deal.propertyChange` style; hubEvents: `contact.privacyDeletion`), posted
 * as a JSON array and signed v3 (X-HubSpot-Signature-v3 + X-HubSpot-Request-Timestamp).
 */

let db: Knex;
let t: Awaited<ReturnType<typeof appOnSandbox>>;
// Wall-clock time: @hubspot/api-client checks v3 timestamps against Date.now().
const clock = fixedClock(new Date().toISOString());
const PATH = '/webhooks/hubspot';
const DEAL = IDS.deals.usd;
const TYPE = { contact: '0-1', company: '0-2', deal: '0-3', line_item: '0-8' } as const;

beforeAll(async () => {
  db = await openTestDb();
  t = await appOnSandbox(db, { portalCount: 20, clock: clock.now });
});
afterAll(async () => {
  await t.sandbox.close();
  await db.destroy();
});

let lastEventId = 90_000;
/** One event of a project app's webhook batch. */
function projectEvent(portalId: number, subscriptionType: string, fields: Record<string, unknown>) {
  return {
    appId: 424242,
    eventId: ++lastEventId,
    subscriptionId: 3_100_000 + lastEventId,
    portalId,
    occurredAt: Date.now() - 1000,
    subscriptionType,
    attemptNumber: 0,
    changeSource: 'CRM_UI',
    sourceId: 'userId:7001',
    ...fields,
  };
}
const dealProperty = (portalId: number, propertyName: string, dealId: string = DEAL) =>
  projectEvent(portalId, 'object.propertyChange', { objectId: Number(dealId), objectTypeId: TYPE.deal, propertyName, propertyValue: '1' });

/** Signed v3 with @hubspot/api-client's own Signature helper, as HubSpot signs it. */
function sdkSignature(body: string, timestamp: number): string {
  return Signature.getSignature('POST', 'v3', {
    clientSecret: SANDBOX_CLIENT_SECRET,
    requestBody: body,
    url: `${TEST_ORIGIN}${PATH}`,
    timestamp,
    signature: '',
  });
}

/** Sends `events` signed by {@link sdkSignature}. */
function sendSdkSigned(app: Parameters<typeof supertest>[0], events: unknown[]) {
  const body = JSON.stringify(events);
  const timestamp = Date.now();
  const signature = sdkSignature(body, timestamp);
  return supertest(app)
    .post(PATH)
    .set('Content-Type', 'application/json')
    .set('X-HubSpot-Signature-v3', signature)
    .set('X-HubSpot-Request-Timestamp', String(timestamp))
    .send(body);
}
const send = (events: unknown[]) => sendSdkSigned(t.app, events);

function dealFields(dealId: string, lineItemId = `${dealId}0001`) {
  return {
    source: { objectType: 'deals', objectId: dealId },
    lineItems: [{ name: 'Onboarding', quantity: '1', unitPrice: 10000, hubspotLineItemId: lineItemId }],
    billTo: { contactId: '101', name: 'Ada Lovelace', email: 'ada@acme.example', companyName: 'Acme' },
    associations: { contacts: ['101', '102'], companies: ['201'], deals: [dealId] },
  };
}
const draftOf = async (portalId: number, dealId: string = DEAL, lineItemId?: string) =>
  (await invoiceIn(t.as(portalId), 'draft', dealFields(dealId, lineItemId))).body as { id: string; version: number };
const read = async (portalId: number, id: string) => (await t.as(portalId).get(`/api/v1/invoices/${id}`)).body;

describe('v3 signatures: cross-checked with @hubspot/api-client', () => {
  it("accepts what the SDK signs, and the SDK accepts what the tests' signer signs", async () => {
    const portal = t.nextPortal();
    const res = await send([dealProperty(portal, 'dealname')]);
    expect(res.status).toBe(200);

    const body = JSON.stringify([dealProperty(portal, 'amount')]);
    const timestamp = Date.now();
    const ours = v3Signature(SANDBOX_CLIENT_SECRET, 'POST', hubspotSignedUri(PATH), body, String(timestamp));
    const opts = { signatureVersion: 'v3', clientSecret: SANDBOX_CLIENT_SECRET, requestBody: body, url: `${TEST_ORIGIN}${PATH}`, method: 'POST', timestamp };
    expect(Signature.isValid({ ...opts, signature: ours })).toBe(true);
    expect(Signature.isValid({ ...opts, signature: ours, requestBody: body.replace('amount', 'dealname') })).toBe(false);
  });

  it('refuses an SDK-signed batch when the body was changed after signing', async () => {
    const portal = t.nextPortal();
    const draft = await draftOf(portal);
    const body = JSON.stringify([dealProperty(portal, 'dealname')]);
    const timestamp = Date.now();
    const signature = sdkSignature(body, timestamp);
    const res = await supertest(t.app)
      .post(PATH)
      .set('Content-Type', 'application/json')
      .set('X-HubSpot-Signature-v3', signature)
      .set('X-HubSpot-Request-Timestamp', String(timestamp))
      .send(body.replace('dealname', 'amount'));
    expect(res.status).toBe(401);
    expect((await read(portal, draft.id)).sourceChanged).toBe(false);
  });
});

describe('project-app subscriptions and their effect', () => {
  it("deal property changes (crmObjects and legacyCrmObjects) mark the deal's drafts for amount, currency and line-item-derived properties only", async () => {
    const marked = ['amount', 'deal_currency_code', 'hs_acv', 'hs_arr', 'hs_mrr', 'hs_tcv'];
    for (const property of marked) {
      const portal = t.nextPortal();
      const draft = await draftOf(portal);
      const res = await send([dealProperty(portal, property)]);
      expect(res.body, property).toEqual({ received: 1, applied: 1, duplicate: 0, ignored: 0 });
      expect((await read(portal, draft.id)).sourceChanged, property).toBe(true);
    }
    const portal = t.nextPortal();
    const draft = await draftOf(portal);
    const res = await send([
      dealProperty(portal, 'dealname'),
      dealProperty(portal, 'dealstage'),
      projectEvent(portal, 'deal.propertyChange', { objectId: Number(DEAL), propertyName: 'closedate', propertyValue: '1' }),
    ]);
    expect(res.body).toEqual({ received: 3, applied: 0, duplicate: 0, ignored: 3 });
    expect((await read(portal, draft.id)).sourceChanged).toBe(false);
    expect(
      (await send([projectEvent(portal, 'deal.propertyChange', { objectId: Number(DEAL), propertyName: 'amount', propertyValue: '2' })])).body.applied,
    ).toBe(1);
    expect((await read(portal, draft.id)).sourceChanged).toBe(true);
  });

  it('deal association changes with line items, contacts and companies mark the drafts, either direction, added or removed', async () => {
    const portal = t.nextPortal();
    const [usd, eur, jpy] = [await draftOf(portal, IDS.deals.usd), await draftOf(portal, IDS.deals.eur), await draftOf(portal, IDS.deals.jpy)];
    const assoc = (fromType: string, fromId: string | number, toType: string, toId: string | number, removed: boolean) =>
      projectEvent(portal, 'object.associationChange', {
        fromObjectTypeId: fromType,
        fromObjectId: Number(fromId),
        toObjectTypeId: toType,
        toObjectId: Number(toId),
        associationRemoved: removed,
        isPrimaryAssociation: false,
        associationTypeId: 19,
        associationCategory: 'HUBSPOT_DEFINED',
      });
    const res = await send([
      assoc(TYPE.deal, IDS.deals.usd, TYPE.line_item, 777, false),
      assoc(TYPE.contact, 101, TYPE.deal, IDS.deals.eur, true),
      assoc(TYPE.deal, IDS.deals.jpy, TYPE.company, 201, false),
      // Not a deal's part: acknowledged, nothing marked.
      assoc(TYPE.contact, 101, TYPE.company, 201, false),
    ]);
    expect(res.body).toEqual({ received: 4, applied: 3, duplicate: 0, ignored: 1 });
    for (const d of [usd, eur, jpy]) expect((await read(portal, d.id)).sourceChanged).toBe(true);
  });

  it('line item changes and deletions mark the drafts holding a copy of that line', async () => {
    const portal = t.nextPortal();
    const [usd, eur, other] = [await draftOf(portal, IDS.deals.usd), await draftOf(portal, IDS.deals.eur), await draftOf(portal, IDS.deals.jpy)];
    const res = await send([
      projectEvent(portal, 'object.propertyChange', {
        objectId: Number(`${IDS.deals.usd}0001`),
        objectTypeId: TYPE.line_item,
        propertyName: 'price',
        propertyValue: '12.50',
      }),
      projectEvent(portal, 'object.deletion', { objectId: Number(`${IDS.deals.eur}0001`), objectTypeId: TYPE.line_item, changeFlag: 'DELETED' }),
    ]);
    expect(res.body).toEqual({ received: 2, applied: 2, duplicate: 0, ignored: 0 });
    expect((await read(portal, usd.id)).sourceChanged).toBe(true);
    expect((await read(portal, eur.id)).sourceChanged).toBe(true);
    expect((await read(portal, other.id)).sourceChanged).toBe(false);
  });

  it('contact deletion (crmObjects) and privacy deletion (hubEvents) keep their behaviour', async () => {
    const portal = t.nextPortal();
    const draft = await draftOf(portal);
    const deleted = await send([projectEvent(portal, 'object.deletion', { objectId: 101, objectTypeId: TYPE.contact, changeFlag: 'DELETED' })]);
    expect(deleted.body).toMatchObject({ applied: 1 });
    const afterDeletion = await read(portal, draft.id);
    expect(afterDeletion.associations.contacts).toEqual(['102']);
    expect(afterDeletion.billTo).toMatchObject({ contactId: '101' });

    const privacy = await send([projectEvent(portal, 'contact.privacyDeletion', { objectId: 101 })]);
    expect(privacy.body).toMatchObject({ applied: 1 });
    expect((await read(portal, draft.id)).billTo).toBeNull();
  });

  it('acknowledges unknown and unhandled event types (2xx), applies nothing and logs each', async () => {
    const portal = t.nextPortal();
    const draft = await draftOf(portal);
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _e, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const app = createApp({ ...t.deps, logger });
    const res = await sendSdkSigned(app, [
      projectEvent(portal, 'object.creation', { objectId: 5, objectTypeId: '0-5', changeFlag: 'CREATED' }),
      projectEvent(portal, 'object.merge', { objectId: Number(DEAL), objectTypeId: TYPE.deal, primaryObjectId: Number(DEAL), mergedObjectIds: [1] }),
      projectEvent(portal, 'conversation.newMessage', { objectId: 9, messageId: 'm1' }),
      projectEvent(portal, 'app.somethingHubSpotAddsLater', {}),
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: 4, applied: 0, duplicate: 0, ignored: 4 });
    expect((await read(portal, draft.id)).sourceChanged).toBe(false);
    const logged = lines.join('');
    for (const type of ['object.creation', 'object.merge', 'conversation.newMessage', 'app.somethingHubSpotAddsLater'])
      expect(logged).toContain(`"type":"${type}"`);
    expect(logged).toContain('"objectTypeId":"0-5"');
  });
});

describe('the local CRM sandbox sends its changes as project-app webhooks', () => {
  it('a deal amount change and a line item deletion in the sandbox mark the drafts, signed v3 for the public URL', async () => {
    const portal = t.nextPortal();
    const eurLine = IDS.lineItems.eur[0]!;
    const [usd, eur] = [await draftOf(portal, IDS.deals.usd), await draftOf(portal, IDS.deals.eur, eurLine)];
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as { port: number };
    try {
      t.sandbox.webhooks.configure({ url: `http://127.0.0.1:${port}${PATH}`, signedUrl: `${TEST_ORIGIN}${PATH}` });
      t.sandbox.store.updateRecord(portal, 'deals', IDS.deals.usd, { amount: '5.00' });
      t.sandbox.store.archive(portal, 'line_items', eurLine);
      await t.sandbox.webhooks.flush();
      const sent = t.sandbox.webhooks.sent.at(-1)!;
      expect(sent.status).toBe(200);
      expect(sent.events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ subscriptionType: 'object.propertyChange', objectTypeId: '0-3', propertyName: 'amount', portalId: portal }),
          expect.objectContaining({ subscriptionType: 'object.deletion', objectTypeId: '0-8', changeFlag: 'DELETED' }),
        ]),
      );
      expect((await read(portal, usd.id)).sourceChanged).toBe(true);
      expect((await read(portal, eur.id)).sourceChanged).toBe(true);
    } finally {
      t.sandbox.webhooks.configure(null);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
