import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_SEED_IDS as IDS } from '../tools/hubspot-sandbox/index.js';
import { appOnSandbox } from './helpers/crm-sandbox.js';
import { openTestDb } from './helpers/db.js';

let db: Knex;
let t: Awaited<ReturnType<typeof appOnSandbox>>;

beforeAll(async () => {
  db = await openTestDb();
  t = await appOnSandbox(db, { portalCount: 10 });
});
afterAll(async () => {
  await t.sandbox.close();
  await db.destroy();
});

const lineItems = (objectType: string, objectId: string) => `/api/v1/records/${objectType}/${objectId}/line-items`;

/** A stored draft line without what only a stored line has (its id and computed amounts). */
function asRecordLine(line: Record<string, unknown>) {
  const { id: _id, amount: _amount, discountAmount: _discount, taxAmount: _tax, ...rest } = line;
  return rest;
}

describe('GET /api/v1/records/{objectType}/{objectId}/line-items (local HubSpot emulator, real adapter)', () => {
  it("lists a deal's line items exactly as a draft copied from the deal has them, and writes nothing", async () => {
    const api = t.as(t.nextPortal(), ['invoices:read']);
    const res = await api.get(lineItems('deals', IDS.deals.usd));
    expect(res.status).toBe(200);
    expect(res.body.currency).toBe('USD');
    expect(res.body.data).toEqual([
      {
        hubspotLineItemId: IDS.lineItems.usd[0],
        hubspotProductId: null,
        name: 'Implementation services (days)',
        description: '',
        sku: 'IMPL-DAY',
        quantity: '10',
        unitPrice: 15000,
        discount: null,
        taxRate: null,
      },
      expect.objectContaining({ hubspotLineItemId: IDS.lineItems.usd[1], unitPrice: 1200000, discount: { type: 'percent', value: '10' } }),
      expect.objectContaining({
        hubspotLineItemId: IDS.lineItems.usd[2],
        quantity: '3',
        unitPrice: 24999,
        taxRate: '8.25',
        description: 'Gateway, sensors and mounting',
      }),
    ]);
    expect(res.body.warnings).toEqual([]);
    expect((await api.get('/api/v1/invoices')).body.data).toEqual([]);
  });

  it('resolves tax rate groups like a draft does, and names the line whose group HubSpot cannot resolve', async () => {
    const res = await t.as(t.nextPortal(), ['invoices:read']).get(lineItems('deals', IDS.deals.jpy));
    expect(res.status).toBe(200);
    expect(res.body.data.map((l: { taxRate: string | null }) => l.taxRate)).toEqual(['10', null]);
    expect(res.body.warnings).toEqual([
      expect.objectContaining({ code: 'tax_rate_unresolved', hubspotLineItemId: IDS.lineItems.jpy[1], taxRateGroupId: IDS.taxRates.deleted }),
    ]);
  });

  it('matches the draft conversion for deals in other currencies and for a published quote', async () => {
    const api = t.as(t.nextPortal());
    for (const [objectType, objectId] of [
      ['deals', IDS.deals.jpy],
      ['deals', IDS.deals.eur],
      ['quotes', IDS.quotes.published],
    ] as const) {
      const listed = await api.get(lineItems(objectType, objectId));
      expect(listed.status).toBe(200);
      const draft = await api.post('/api/v1/invoices', { source: { objectType, objectId } });
      expect(draft.status).toBe(201);
      expect(listed.body.currency).toBe(draft.body.currency);
      expect(listed.body.data).toEqual(draft.body.lineItems.map(asRecordLine));
    }
  });

  it('refuses a quote that is not published, like a draft from it', async () => {
    const res = await t.as(t.nextPortal()).get(lineItems('quotes', IDS.quotes.draft));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('quote_not_published');
  });

  it('answers 404 naming objectId for a missing or archived record', async () => {
    const portal = t.nextPortal();
    const api = t.as(portal);
    const missing = await api.get(lineItems('deals', '424242'));
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', details: [{ path: 'objectId', message: 'deals 424242 not found' }] });
    t.sandbox.store.archive(portal, 'deals', IDS.deals.eur);
    expect((await api.get(lineItems('deals', IDS.deals.eur))).status).toBe(404);
    expect((await api.get(lineItems('quotes', '7999'))).status).toBe(404);
  });

  it("never reads another portal's record: each portal reads its own CRM", async () => {
    const mine = t.nextPortal();
    const other = t.nextPortal();
    const deal = t.sandbox.store.addRecord(mine, 'deals', { dealname: 'Only mine', deal_currency_code: 'USD' }, { id: '9100' });
    t.sandbox.store.addLineItem(
      mine,
      { type: 'deals', id: deal.id },
      { name: 'Private line', quantity: '1', price: '10.00', hs_line_item_currency_code: 'USD' },
    );
    const own = await t.as(mine).get(lineItems('deals', '9100'));
    expect(own.status).toBe(200);
    expect(own.body.data.map((l: { name: string }) => l.name)).toEqual(['Private line']);
    const theirs = await t.as(other).get(lineItems('deals', '9100'));
    expect(theirs.status).toBe(404);
  });

  it('refuses bad input with 400 naming the field, before any HubSpot call', async () => {
    const api = t.as(t.nextPortal());
    t.sandbox.resetCallCount();
    for (const type of ['contacts', 'companies', 'widgets']) {
      const res = await api.get(lineItems(type, IDS.deals.usd));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'validation_failed',
        details: [{ path: 'objectType', message: expect.stringContaining('deals or quotes') }],
      });
    }
    for (const id of ['abc', '12e3', '-1', '1'.repeat(21)]) {
      const res = await api.get(lineItems('deals', id));
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'objectId', message: 'must be a HubSpot id (digits)' }]);
    }
    expect(t.sandbox.callCount()).toBe(0);
  });

  it('needs the view permission', async () => {
    const res = await t.as(t.nextPortal(), ['settings']).get(lineItems('deals', IDS.deals.usd));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });
});
