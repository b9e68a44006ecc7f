import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_SEED_IDS as IDS } from '../tools/hubspot-sandbox/index.js';
import { appOnSandbox } from './helpers/crm-sandbox.js';
import { openTestDb } from './helpers/db.js';

let db: Knex;
let t: Awaited<ReturnType<typeof appOnSandbox>>;

beforeAll(async () => {
  db = await openTestDb();
  t = await appOnSandbox(db, { portalCount: 16 });
});
afterAll(async () => {
  await t.sandbox.close();
  await db.destroy();
});

const fromRecord = (objectType: string, objectId: string, extra: object = {}) => ({ source: { objectType, objectId }, ...extra });

describe('invoices copied from CRM records (local HubSpot emulator, real adapter)', () => {
  it('copies a deal: line items as our own copies, contacts, primary company, currency', async () => {
    const api = t.as(t.nextPortal());
    const res = await api.post('/api/v1/invoices', fromRecord('deals', IDS.deals.usd, { paymentTerms: 'net_15' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'draft',
      currency: 'USD',
      paymentTerms: 'net_15',
      source: { objectType: 'deals', objectId: IDS.deals.usd },
      associations: { deals: [IDS.deals.usd], quotes: [] },
    });
    expect(res.body.lineItems).toHaveLength(3);
    expect(res.body.lineItems.map((l: { hubspotLineItemId: string }) => l.hubspotLineItemId)).toEqual(['9001001', '9001002', '9001003']);
    expect(res.body.associations.companies[0]).toBe(IDS.companies.acme);
    expect(res.body.billTo).toMatchObject({ email: expect.stringContaining('@'), companyName: expect.any(String) });
    const total = res.body.subtotal - res.body.discountTotal + res.body.feeTotal + res.body.taxTotal;
    expect(res.body.total).toBe(total);
    // The new draft is now listed on the deal's record card.
    const onRecord = await api.get(`/api/v1/records/deals/${IDS.deals.usd}/invoices`);
    expect(onRecord.body.data.map((i: { id: string }) => i.id)).toEqual([res.body.id]);
  });

  it('uses the currency exponent of the deal: JPY has no minor unit, EUR keeps decimals of 12.5 units', async () => {
    const api = t.as(t.nextPortal());
    const jpy = await api.post('/api/v1/invoices', fromRecord('deals', IDS.deals.jpy));
    expect(jpy.body.currency).toBe('JPY');
    for (const line of jpy.body.lineItems) expect(Number.isInteger(line.unitPrice)).toBe(true);
    const eur = await api.post('/api/v1/invoices', fromRecord('deals', IDS.deals.eur));
    expect(eur.body.currency).toBe('EUR');
    expect(eur.body.lineItems.map((l: { quantity: string }) => l.quantity)).toContain('12.5');
  });

  it('reads a 100-line deal in at most 5 HubSpot calls, and a 250-line deal in batches', async () => {
    const api = t.as(t.nextPortal());
    t.sandbox.resetCallCount();
    const hundred = await api.post('/api/v1/invoices', fromRecord('deals', IDS.deals.hundredLines));
    expect(hundred.body.lineItems).toHaveLength(100);
    expect(t.sandbox.callCount()).toBeLessThanOrEqual(5);
    t.sandbox.resetCallCount();
    const many = await api.post('/api/v1/invoices', fromRecord('deals', IDS.deals.manyLines));
    expect(many.status).toBe(201);
    expect(many.body.lineItems).toHaveLength(250);
    // GET (first 100 associations), v4 association pages of 100 (3), line item batches of 100 (3),
    // contacts, companies.
    expect(t.sandbox.callCount()).toBeLessThanOrEqual(9);
  });

  it("lists a deal's quotes and converts only the published one", async () => {
    const api = t.as(t.nextPortal());
    const quotes = await api.get(`/api/v1/records/deals/${IDS.deals.usd}/quotes`);
    expect(quotes.body.data).toEqual([
      expect.objectContaining({ id: IDS.quotes.published, convertible: true }),
      expect.objectContaining({ id: IDS.quotes.draft, convertible: false }),
    ]);
    const published = await api.post('/api/v1/invoices', fromRecord('quotes', IDS.quotes.published));
    expect(published.status).toBe(201);
    expect(published.body.associations).toMatchObject({ quotes: [IDS.quotes.published], deals: [IDS.deals.usd] });
    const draft = await api.post('/api/v1/invoices', fromRecord('quotes', IDS.quotes.draft));
    expect(draft.status).toBe(422);
    expect(draft.body.error.code).toBe('quote_not_published');
    expect((await api.get('/api/v1/invoices')).body.data).toHaveLength(1);
  });

  it('copies a contact with its primary company, and a company with its contacts', async () => {
    const api = t.as(t.nextPortal());
    const contact = await api.post('/api/v1/invoices', fromRecord('contacts', IDS.contacts.ada));
    expect(contact.status).toBe(201);
    expect(contact.body).toMatchObject({ lineItems: [], associations: { contacts: [IDS.contacts.ada] }, billTo: { contactId: IDS.contacts.ada } });
    const company = await api.post('/api/v1/invoices', fromRecord('companies', IDS.companies.acme));
    expect(company.body.associations.companies).toEqual([IDS.companies.acme]);
    expect(company.body.associations.contacts.length).toBeGreaterThan(0);
  });

  it('answers 404 for missing or archived records and creates nothing', async () => {
    const portal = t.nextPortal();
    const api = t.as(portal);
    const missing = await api.post('/api/v1/invoices', fromRecord('deals', '424242'));
    expect(missing.status).toBe(404);
    expect(missing.body.error.details[0].path).toBe('source.objectId');
    t.sandbox.store.archive(portal, 'deals', IDS.deals.eur);
    expect((await api.post('/api/v1/invoices', fromRecord('deals', IDS.deals.eur))).status).toBe(404);
    expect((await api.get('/api/v1/invoices')).body.data).toEqual([]);
  });

  it("never reaches another portal's CRM records: each portal reads with its own token", async () => {
    const mine = t.nextPortal();
    const other = t.nextPortal();
    t.sandbox.store.archive(other, 'deals', IDS.deals.usd);
    expect((await t.as(mine).post('/api/v1/invoices', fromRecord('deals', IDS.deals.usd))).status).toBe(201);
    expect((await t.as(other).post('/api/v1/invoices', fromRecord('deals', IDS.deals.usd))).status).toBe(404);
  });

  it('re-copies a draft from its deal after the deal changed, and refuses for finalized invoices', async () => {
    const portal = t.nextPortal();
    const api = t.as(portal);
    const draft = (await api.post('/api/v1/invoices', fromRecord('deals', IDS.deals.usd))).body;
    t.sandbox.store.setDealLineItems(portal, IDS.deals.usd, [{ name: 'Only line now', quantity: '2', price: '99.95', hs_line_item_currency_code: 'USD' }]);
    const resynced = await api.post(`/api/v1/invoices/${draft.id}/resync`);
    expect(resynced.status).toBe(200);
    expect(resynced.body.lineItems).toEqual([expect.objectContaining({ name: 'Only line now', quantity: '2', unitPrice: 9995, amount: 19990 })]);
    expect(resynced.body.version).toBe(draft.version + 1);
    await api.post(`/api/v1/invoices/${resynced.body.id}/finalize`);
    const again = await api.post(`/api/v1/invoices/${draft.id}/resync`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('invoice_not_editable');
  });

  it('refuses resync for a draft that has no source', async () => {
    const api = t.as(t.nextPortal());
    const manual = (await api.post('/api/v1/invoices', { currency: 'USD' })).body;
    const res = await api.post(`/api/v1/invoices/${manual.id}/resync`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invoice_has_no_source');
  });

  it('taxes a deal line through its HubSpot tax rate group, and warns (never silently untaxed) for a group HubSpot cannot resolve', async () => {
    const api = t.as(t.nextPortal());
    const usd = await api.post('/api/v1/invoices', fromRecord('deals', IDS.deals.usd));
    expect(usd.status).toBe(201);
    expect(usd.body.lineItems[2]).toMatchObject({ hubspotLineItemId: IDS.lineItems.usd[2], taxRate: '8.25' });
    expect(usd.body.lineItems[2].taxAmount).toBeGreaterThan(0);
    expect(usd.body.taxTotal).toBe(usd.body.lineItems[2].taxAmount);
    expect(usd.body.warnings).toEqual([]);

    // JPY deal: line 1 points at group 302 (10 %), line 2 at group 399, which the library lacks.
    const jpy = await api.post('/api/v1/invoices', fromRecord('deals', IDS.deals.jpy));
    expect(jpy.status).toBe(201);
    expect(jpy.body.lineItems.map((l: { taxRate: string | null }) => l.taxRate)).toEqual(['10', null]);
    const warning = {
      code: 'tax_rate_unresolved',
      hubspotLineItemId: IDS.lineItems.jpy[1],
      taxRateGroupId: IDS.taxRates.deleted,
      message: expect.stringContaining(`tax rate group ${IDS.taxRates.deleted}`),
    };
    expect(jpy.body.warnings).toEqual([warning]);
    // Stored with the draft: the card sees it on every read until someone deals with it.
    expect((await api.get(`/api/v1/invoices/${jpy.body.id}`)).body.warnings).toEqual([warning]);
    const lines = jpy.body.lineItems.map(({ id: _i, amount: _a, discountAmount: _d, taxAmount: _t, ...rest }: Record<string, unknown>) => rest);
    const fixed = await api.patch(`/api/v1/invoices/${jpy.body.id}`, { version: jpy.body.version, lineItems: [lines[0], { ...lines[1], taxRate: '10' }] });
    expect(fixed.status).toBe(200);
    expect(fixed.body.warnings).toEqual([]);
  });

  it('resolves each tax rate group of a portal once, then from its cache', async () => {
    const api = t.as(t.nextPortal());
    t.sandbox.resetCallCount();
    await api.post('/api/v1/invoices', fromRecord('deals', IDS.deals.usd));
    const first = t.sandbox.callCount();
    t.sandbox.resetCallCount();
    await api.post('/api/v1/invoices', fromRecord('deals', IDS.deals.usd));
    expect(t.sandbox.callCount()).toBe(first - 1);
  });

  it('converts quotes by their documented hs_status: APPROVAL_NOT_NEEDED and APPROVED are published, PENDING_APPROVAL is not (whatever hs_locked says)', async () => {
    const portal = t.nextPortal();
    const api = t.as(portal);
    t.sandbox.store.updateRecord(portal, 'quotes', IDS.quotes.draft, { hs_status: 'APPROVAL_NOT_NEEDED', hs_locked: 'false' });
    t.sandbox.store.updateRecord(portal, 'quotes', IDS.quotes.published, { hs_status: 'PENDING_APPROVAL', hs_locked: 'true' });
    const quotes = await api.get(`/api/v1/records/deals/${IDS.deals.usd}/quotes`);
    expect(quotes.body.data).toEqual([
      expect.objectContaining({ id: IDS.quotes.published, status: 'PENDING_APPROVAL', convertible: false }),
      expect.objectContaining({ id: IDS.quotes.draft, status: 'APPROVAL_NOT_NEEDED', convertible: true }),
    ]);
    expect((await api.post('/api/v1/invoices', fromRecord('quotes', IDS.quotes.draft))).status).toBe(201);
    const pending = await api.post('/api/v1/invoices', fromRecord('quotes', IDS.quotes.published));
    expect(pending.status).toBe(422);
    expect(pending.body.error.code).toBe('quote_not_published');
  });

  it("makes one invoice when HubSpot retries a create from a record (the card's requestId is the idempotency key)", async () => {
    const api = t.as(t.nextPortal());
    const body = fromRecord('deals', IDS.deals.eur, { requestId: 'card-3f6c1e2a-retry' });
    const first = await api.post('/api/v1/invoices', body);
    const retry = await api.post('/api/v1/invoices', body);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    expect((await api.get('/api/v1/invoices')).body.data.map((i: { id: string }) => i.id)).toEqual([first.body.id]);
    // A new click is a new request id: a second invoice, as asked.
    const again = await api.post('/api/v1/invoices', fromRecord('deals', IDS.deals.eur, { requestId: 'card-77aa01-next' }));
    expect(again.body.id).not.toBe(first.body.id);
  });
});
