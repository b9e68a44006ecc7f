import nock from 'nock';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DomainError } from '../src/domain/errors.js';
import { HubSpotCrmAdapter, type HubSpotCrmAdapterOptions } from '../src/integrations/hubspot/crm-adapter.js';
import { parseRetryAfter } from '../src/integrations/hubspot/http-retry.js';
import { SlidingWindowLimiter } from '../src/integrations/hubspot/rate-limiter.js';
import { hubspot } from './fakes/hubspot-crm.js';

const BASE = 'https://api.hubspot.test';
const TOKEN = 'test-access-token-for-portal-11111111';
const PORTAL = 4242;

/** An adapter with a fast sleep, a log kept in memory and a token per portal. */
function setup(over: Partial<HubSpotCrmAdapterOptions> = {}) {
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const sleeps: number[] = [];
  const adapter = new HubSpotCrmAdapter({
    baseUrl: BASE,
    accessToken: async () => TOKEN,
    logger,
    sleep: async (ms) => void sleeps.push(ms),
    ...over,
  });
  return { adapter, logs, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe('readDeal', () => {
  it.each([
    { lines: 1, calls: 4 },
    { lines: 10, calls: 4 },
    { lines: 100, calls: 4 },
    // GET (first 100 lines + paging.next) + v4 associations + 3 line item chunks + contacts + companies
    { lines: 250, calls: 7 },
  ])('reads a deal with $lines line items in $calls calls', async ({ lines, calls }) => {
    const { adapter } = setup();
    const fake = hubspot.dealWithLineItems(BASE, { dealId: '9001', lines, contacts: 2, companies: 2, token: TOKEN });

    const bundle = await adapter.readDeal(PORTAL, '9001');

    expect(bundle.lineItems.map((l) => l.id)).toEqual(fake.lineItemIds);
    expect(bundle.contacts.map((c) => c.id)).toEqual(fake.contactIds);
    expect(bundle.deal).toEqual({ id: '9001', name: 'Deal 9001', currency: 'EUR' });
    expect(fake.calls).toHaveLength(calls);
    expect(fake.calls[0]).toBe(
      'GET /crm/objects/2026-03/deals/9001?properties=dealname,deal_currency_code&associations=line_items,contacts,companies&archived=false',
    );
    expect(fake.calls.filter((c) => c.startsWith('POST /crm/objects/2026-03/line_items/batch/read'))).toHaveLength(Math.ceil(lines / 100));
  });

  it('needs 6 calls for 250 lines when the GET returns every association (no paging)', async () => {
    const { adapter } = setup();
    const fake = hubspot.dealWithLineItems(BASE, { dealId: '9002', lines: 250, contacts: 1, companies: 1, getPageSize: 1000 });
    const bundle = await adapter.readDeal(PORTAL, '9002');
    expect(bundle.lineItems).toHaveLength(250);
    expect(fake.calls).toHaveLength(6);
  });

  it('pages v4 associations until the cursor ends', async () => {
    const { adapter } = setup();
    const fake = hubspot.dealWithLineItems(BASE, { dealId: '9003', lines: 250, v4PageSize: 100 });
    const bundle = await adapter.readDeal(PORTAL, '9003');
    expect(bundle.lineItems.map((l) => l.id)).toEqual(fake.lineItemIds);
    // GET + 3 v4 pages + 3 line item chunks; no contacts or companies, so no calls for them
    expect(fake.calls).toHaveLength(7);
    expect(fake.calls.filter((c) => c.startsWith('POST /crm/associations/2026-03/deals/line_items/batch/read'))).toHaveLength(3);
  });

  it('costs one call for a deal without associations', async () => {
    const { adapter } = setup();
    const fake = hubspot.dealWithLineItems(BASE, { dealId: '9004', lines: 0, name: '', currency: null });
    const bundle = await adapter.readDeal(PORTAL, '9004');
    expect(bundle).toEqual({ deal: { id: '9004', name: null, currency: null }, lineItems: [], contacts: [], companies: [] });
    expect(fake.calls).toHaveLength(1);
  });

  it('reads line items keyed "line_items" as well as "line items"', async () => {
    const { adapter } = setup();
    hubspot.dealWithLineItems(BASE, { dealId: '9005', lines: 3, lineItemsKey: 'line_items' });
    expect((await adapter.readDeal(PORTAL, '9005')).lineItems).toHaveLength(3);
  });

  it('puts the primary company first, once, whatever HubSpot lists first', async () => {
    const { adapter } = setup();
    hubspot.dealWithLineItems(BASE, { dealId: '9006', lines: 1, companies: 3, primaryCompanyId: '703' });
    const { companies } = await adapter.readDeal(PORTAL, '9006');
    expect(companies.map((c) => c.id)).toEqual(['703', '701', '702']);
  });

  it('finds the primary company among associations read through v4', async () => {
    const { adapter } = setup();
    const companies = Array.from({ length: 120 }, (_, i) => ({ id: String(7000 + i), name: `C${i}` }));
    hubspot.dealWithLineItems(BASE, { dealId: '9007', lines: 1, companies, primaryCompanyId: '7115' });
    const bundle = await adapter.readDeal(PORTAL, '9007');
    expect(bundle.companies[0]?.id).toBe('7115');
    expect(bundle.companies).toHaveLength(120);
  });

  it('keeps HubSpot decimal strings exactly and turns the unit discount into a line discount', async () => {
    const { adapter } = setup();
    hubspot.dealWithLineItems(BASE, {
      dealId: '9008',
      lines: [
        {
          quantity: '0.333333',
          price: '1234567890.12',
          discount: '0.5',
          discountPercent: null,
          taxRateGroupId: '21',
          sku: 'ABC',
          productId: '77',
          currency: 'USD',
          description: 'Big',
        },
        { quantity: '3', price: '19.99', discount: '2.50', discountPercent: '12.5', sku: '', name: 'Second', position: null },
        { quantity: '2', price: '5', discount: '0', discountPercent: '0' },
      ],
    });
    const [first, second, third] = (await adapter.readDeal(PORTAL, '9008')).lineItems;
    expect(first).toEqual({
      id: '90080001',
      name: 'Line 1',
      description: 'Big',
      sku: 'ABC',
      quantity: '0.333333',
      price: '1234567890.12',
      discountPercent: null,
      discountAmount: '0.1666665',
      // The rate comes from the tax rates API (tax-rates-adapter.ts), not from the line.
      taxRate: null,
      taxRateGroupId: '21',
      productId: '77',
      currency: 'USD',
    });
    expect(second).toMatchObject({ name: 'Second', sku: null, quantity: '3', price: '19.99', discountPercent: '12.5', discountAmount: '7.5' });
    expect(third).toMatchObject({ discountPercent: null, discountAmount: null });
  });

  it('orders quote-positioned line items by hs_position_on_quote', async () => {
    const { adapter } = setup();
    hubspot.dealWithLineItems(BASE, {
      dealId: '9009',
      lines: [
        { id: '1', position: '2' },
        { id: '2', position: null },
        { id: '3', position: '0' },
      ],
    });
    expect((await adapter.readDeal(PORTAL, '9009')).lineItems.map((l) => l.id)).toEqual(['3', '1', '2']);
  });

  it('rejects a line without a quantity, or with a number that is not a decimal, as upstream_error', async () => {
    const { adapter } = setup();
    hubspot.dealWithLineItems(BASE, { dealId: '9010', lines: [{ quantity: null }] });
    const missing = await failure(adapter.readDeal(PORTAL, '9010'));
    expect(missing.code).toBe('upstream_error');
    expect(missing.details).toEqual([{ path: 'lineItems[0].quantity', message: 'no value' }]);

    hubspot.dealWithLineItems(BASE, { dealId: '9011', lines: [{ price: '1e5' }] });
    const garbled = await failure(adapter.readDeal(PORTAL, '9011'));
    expect(garbled.code).toBe('upstream_error');
    expect(garbled.details[0]?.path).toBe('lineItems[0].price');
  });

  it('fails when an associated line item cannot be read, rather than invoicing part of the deal', async () => {
    const { adapter } = setup();
    const scope = nock(BASE)
      .get('/crm/objects/2026-03/deals/9012')
      .query(true)
      .reply(200, {
        id: '9012',
        properties: {},
        associations: {
          'line items': {
            results: [
              { id: '1', type: 'deal_to_line_item' },
              { id: '2', type: 'deal_to_line_item' },
            ],
          },
        },
      })
      .post('/crm/objects/2026-03/line_items/batch/read')
      .reply(207, {
        status: 'COMPLETE',
        results: [{ id: '1', properties: { quantity: '1', price: '1' } }],
        errors: [{ category: 'OBJECT_NOT_FOUND', message: 'gone' }],
      });
    const err = await failure(adapter.readDeal(PORTAL, '9012'));
    expect(err.code).toBe('upstream_error');
    expect(err.message).toContain('could not be read (2)');
    expect(scope.isDone()).toBe(true);
  });
});

describe('readQuote and listDealQuotes', () => {
  it('reads a quote bundle with its deal ids, contacts and companies', async () => {
    const { adapter } = setup();
    const fake = hubspot.quoteWithLineItems(BASE, {
      quote: { id: '3001', title: 'Q-2026-17', status: 'APPROVED', locked: true, currency: 'USD' },
      lines: [
        { quantity: '2', price: '100.5' },
        { quantity: '1', price: '0.99' },
      ],
      dealIds: ['9100'],
      contacts: [
        {
          id: '501',
          firstname: 'Grace',
          lastname: 'Hopper',
          email: 'grace@example.test',
          address: '1 Navy Way',
          city: 'Arlington',
          state: 'VA',
          zip: '22202',
          country: 'US',
        },
      ],
      companies: [{ id: '701', name: 'Navy', address: '2 Navy Way', address2: 'Suite 3', city: 'Arlington', state: 'VA', zip: '22202', country: 'US' }],
    });

    const bundle = await adapter.readQuote(PORTAL, '3001');

    expect(bundle.quote).toEqual({ id: '3001', title: 'Q-2026-17', status: 'APPROVED', locked: true, currency: 'USD' });
    expect(bundle.dealIds).toEqual(['9100']);
    expect(bundle.lineItems.map((l) => [l.quantity, l.price])).toEqual([
      ['2', '100.5'],
      ['1', '0.99'],
    ]);
    expect(bundle.contacts).toEqual([
      {
        id: '501',
        firstName: 'Grace',
        lastName: 'Hopper',
        email: 'grace@example.test',
        address: { line1: '1 Navy Way', city: 'Arlington', region: 'VA', postalCode: '22202', country: 'US' },
      },
    ]);
    expect(bundle.companies).toEqual([
      { id: '701', name: 'Navy', address: { line1: '2 Navy Way', line2: 'Suite 3', city: 'Arlington', region: 'VA', postalCode: '22202', country: 'US' } },
    ]);
    expect(fake.calls[0]).toBe(
      'GET /crm/objects/2026-03/quotes/3001?properties=hs_title,hs_status,hs_locked,hs_currency&associations=line_items,deals,contacts,companies&archived=false',
    );
    expect(fake.calls).toHaveLength(4);
  });

  it("lists a deal's quotes with their locked flag in two calls", async () => {
    const { adapter } = setup();
    const fake = hubspot.dealQuotes(BASE, {
      dealId: '9200',
      quotes: [
        { id: '31', title: 'Draft', status: 'DRAFT', locked: false },
        { id: '32', title: 'Published', status: 'APPROVED', locked: true, currency: 'GBP' },
        { id: '33', title: null, status: null, currency: null },
      ],
    });
    expect(await adapter.listDealQuotes(PORTAL, '9200')).toEqual([
      { id: '31', title: 'Draft', status: 'DRAFT', locked: false, currency: 'EUR' },
      { id: '32', title: 'Published', status: 'APPROVED', locked: true, currency: 'GBP' },
      { id: '33', title: null, status: null, locked: false, currency: null },
    ]);
    expect(fake.calls).toEqual(['GET /crm/objects/2026-03/deals/9200?associations=quotes&archived=false', 'POST /crm/objects/2026-03/quotes/batch/read']);
  });

  it('lists no quotes in one call', async () => {
    const { adapter } = setup();
    const fake = hubspot.dealQuotes(BASE, { dealId: '9201', quotes: [] });
    expect(await adapter.listDealQuotes(PORTAL, '9201')).toEqual([]);
    expect(fake.calls).toHaveLength(1);
  });
});

describe('readContact and readCompany', () => {
  it('reads a contact with its companies, primary first', async () => {
    const { adapter } = setup();
    const fake = hubspot.contactWithCompanies(BASE, {
      contact: { id: '501', firstname: 'Ada', lastname: '', email: 'ada@example.test', city: 'London', country: 'GB' },
      companies: 3,
      primaryCompanyId: '702',
    });
    const bundle = await adapter.readContact(PORTAL, '501');
    expect(bundle.contact).toEqual({ id: '501', firstName: 'Ada', lastName: null, email: 'ada@example.test', address: { city: 'London', country: 'GB' } });
    expect(bundle.companies.map((c) => c.id)).toEqual(['702', '701', '703']);
    expect(bundle.companies[0]).toEqual({ id: '702', name: 'Company 2', address: null });
    expect(fake.calls).toHaveLength(2);
  });

  it('reads a company with its contacts', async () => {
    const { adapter } = setup();
    const fake = hubspot.companyWithContacts(BASE, { company: { id: '701', name: 'Acme', address: 'Main St 1', zip: '1000' }, contacts: 2 });
    const bundle = await adapter.readCompany(PORTAL, '701');
    expect(bundle.company).toEqual({ id: '701', name: 'Acme', address: { line1: 'Main St 1', postalCode: '1000' } });
    expect(bundle.contacts.map((c) => c.email)).toEqual(['ada1@example.test', 'ada2@example.test']);
    expect(fake.calls).toEqual([
      'GET /crm/objects/2026-03/companies/701?properties=name,address,address2,city,state,zip,country&associations=contacts&archived=false',
      'POST /crm/objects/2026-03/contacts/batch/read',
    ]);
  });
});

describe('failures', () => {
  it('404 -> not_found', async () => {
    const { adapter } = setup();
    hubspot.recordNotFound(BASE, 'deals', '404');
    const err = await failure(adapter.readDeal(PORTAL, '404'));
    expect(err.code).toBe('not_found');
    expect(err.message).toContain('deal 404');
  });

  it('an archived record -> not_found', async () => {
    const { adapter } = setup();
    hubspot.archivedRecord(BASE, 'companies', '777');
    expect((await failure(adapter.readCompany(PORTAL, '777'))).code).toBe('not_found');
  });

  it('401 -> hubspot_reauth_required, without retrying', async () => {
    const { adapter, sleeps } = setup();
    const fake = hubspot.unauthorized(BASE, 'contacts', '501');
    expect((await failure(adapter.readContact(PORTAL, '501'))).code).toBe('hubspot_reauth_required');
    expect(fake.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('429 then success: waits what Retry-After says', async () => {
    const { adapter, sleeps } = setup();
    const limited = hubspot.rateLimitedOnce(BASE, 'contacts', '501', { retryAfterSeconds: 2 });
    hubspot.contactWithCompanies(BASE, { contact: { id: '501', firstname: 'Ada' } });
    expect((await adapter.readContact(PORTAL, '501')).contact.firstName).toBe('Ada');
    expect(limited.calls).toHaveLength(1);
    expect(sleeps).toEqual([2000]);
  });

  it('429 without Retry-After: backs off exponentially with jitter', async () => {
    const { adapter, sleeps } = setup();
    hubspot.rateLimitedOnce(BASE, 'contacts', '502');
    hubspot.contactWithCompanies(BASE, { contact: { id: '502' } });
    await adapter.readContact(PORTAL, '502');
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(250);
    expect(sleeps[0]).toBeLessThanOrEqual(500);
  });

  it('5xx on every attempt -> upstream_error, correlation id logged, token never logged', async () => {
    const { adapter, logs, sleeps } = setup({ maxRetries: 3 });
    const fake = hubspot.serverErrors(BASE, 'deals', '500', { times: 4, status: 502, correlationId: 'cid-5f1e-abc' });

    const err = await failure(adapter.readDeal(PORTAL, '500'));

    expect(err.code).toBe('upstream_error');
    expect(err.message).toMatch(/^HubSpot failed: /);
    expect(err.message).toContain('cid-5f1e-abc');
    expect(fake.calls).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    // Backoff grows: attempt n waits between half and all of 500 ms x 2^(n-1).
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(250 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(500 * 2 ** i);
    });
    const finalLog = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'HubSpot request failed after retries');
    expect(finalLog).toMatchObject({ correlationId: 'cid-5f1e-abc', status: 502, attempts: 4, portalId: PORTAL });
    expect(logs.join('\n')).not.toContain(TOKEN);
    expect(err.message).not.toContain(TOKEN);
  });

  it('a timeout is retried, then upstream_error', async () => {
    const { adapter, logs } = setup({ timeoutMs: 30, maxRetries: 1 });
    const fake = hubspot.slowResponses(BASE, 'deals', '601', { times: 2, delayMs: 400 });
    const err = await failure(adapter.readDeal(PORTAL, '601'));
    expect(err.code).toBe('upstream_error');
    expect(err.message).toContain('timeout after 30 ms after 2 attempts');
    expect(fake.calls).toHaveLength(2);
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('a body that is not JSON -> upstream_error', async () => {
    const { adapter } = setup();
    hubspot.malformedBody(BASE, 'deals', '701', '{"id": "701", "properties": {');
    const err = await failure(adapter.readDeal(PORTAL, '701'));
    expect(err.code).toBe('upstream_error');
    expect(err.message).toContain('not JSON');
  });

  it('a body of the wrong shape -> upstream_error naming the field', async () => {
    const { adapter } = setup();
    hubspot.malformedBody(BASE, 'deals', '702', { id: '702', properties: { dealname: 42 } });
    const err = await failure(adapter.readDeal(PORTAL, '702'));
    expect(err.code).toBe('upstream_error');
    expect(err.message).toContain('properties.dealname');

    hubspot.malformedBody(BASE, 'quotes', '703', { properties: {} });
    expect((await failure(adapter.readQuote(PORTAL, '703'))).code).toBe('upstream_error');
  });

  it('a 400 is not retried', async () => {
    const { adapter, sleeps } = setup();
    nock(BASE)
      .get('/crm/objects/2026-03/deals/800')
      .query(true)
      .reply(400, { status: 'error', message: 'Bad', correlationId: 'cid-400', category: 'VALIDATION_ERROR' });
    const err = await failure(adapter.readDeal(PORTAL, '800'));
    expect(err.code).toBe('upstream_error');
    expect(err.message).toContain('cid-400');
    expect(sleeps).toEqual([]);
  });
});

describe('rate limiting', () => {
  /** A clock that only the injected sleep moves. */
  function fakeTime() {
    let t = 0;
    const sleeps: number[] = [];
    return { now: () => t, sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)), sleeps, at: () => t };
  }

  it('makes the 4th request of a burst wait for the window', async () => {
    // A sleep that holds until the test releases it: shows what went out while the 4th waits.
    let t = 0;
    const sleeps: number[] = [];
    const held: (() => void)[] = [];
    const sleep = (ms: number) => {
      sleeps.push(ms);
      return new Promise<void>((resolve) => held.push(() => ((t += ms), resolve())));
    };
    const { adapter } = setup({ limiter: { max: 3, intervalMs: 200 }, now: () => t, sleep });
    const starts: number[] = [];
    for (const id of ['1', '2', '3', '4']) {
      hubspot.contactWithCompanies(BASE, { contact: { id } }).scope.on('request', () => starts.push(t));
    }
    const burst = Promise.all(['1', '2', '3', '4'].map((id) => adapter.readContact(PORTAL, id)));

    await vi.waitFor(() => expect(starts).toHaveLength(3));
    await vi.waitFor(() => expect(sleeps).toEqual([200]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(starts).toEqual([0, 0, 0]);

    held.shift()!();
    await burst;
    expect(starts).toEqual([0, 0, 0, 200]);
  });

  it('gives each portal its own bucket', async () => {
    const time = fakeTime();
    const tokens: Record<number, string> = { 1: 'token-portal-1', 2: 'token-portal-2' };
    const { adapter } = setup({ limiter: { max: 3, intervalMs: 200 }, now: time.now, sleep: time.sleep, accessToken: async (p) => tokens[p]! });
    for (const portal of [1, 2]) {
      for (const id of ['1', '2', '3']) hubspot.contactWithCompanies(BASE, { contact: { id }, token: tokens[portal] });
    }
    await Promise.all([1, 2].flatMap((portal) => ['1', '2', '3'].map((id) => adapter.readContact(portal, id))));
    expect(time.sleeps).toEqual([]);

    hubspot.contactWithCompanies(BASE, { contact: { id: '4' }, token: tokens[1] });
    await adapter.readContact(1, '4');
    expect(time.sleeps).toEqual([200]);
  });

  it('SlidingWindowLimiter lets a slot free up only when the oldest start leaves the window', async () => {
    const time = fakeTime();
    const limiter = new SlidingWindowLimiter({ max: 2, intervalMs: 100, now: time.now, sleep: time.sleep });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => limiter.acquire('p').then(() => starts.push(time.at()))));
    expect(starts).toEqual([0, 0, 100, 100, 200]);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1000)).toBe(4000);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
