import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_SEED_IDS as IDS, startCrmSandbox, type CrmSandbox } from '../tools/hubspot-sandbox/index.js';

const CLIENT_ID = 'sandbox-client';
const CLIENT_SECRET = 'sandbox-client-secret';
const HUB = IDS.hubId;
const REDIRECT = 'http://localhost:3000/oauth/callback';

let sb: CrmSandbox;
let token: string;

type Json = Record<string, any>;

async function call(method: string, path: string, body?: unknown, bearer: string | null = token): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = {};
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sb.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

function form(fields: Record<string, string>): Promise<Response> {
  return fetch(`${sb.url}/oauth/2026-03/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

function introspect(fields: Record<string, string>): Promise<Response> {
  return fetch(`${sb.url}/oauth/2026-03/token/introspect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

async function authorize(extra = ''): Promise<URL> {
  const res = await fetch(
    `${sb.url}/oauth/authorize?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=${encodeURIComponent('oauth crm.objects.deals.read')}&state=xyz${extra}`,
    { redirect: 'manual' },
  );
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

/** A HubSpot CRM error body: status "error", message, correlationId (uuid), category. */
function expectHubSpotError(body: Json, category: string): void {
  expect(body).toMatchObject({ status: 'error', category });
  expect(typeof body.message).toBe('string');
  expect(body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
}

beforeAll(async () => {
  sb = await startCrmSandbox({ port: 0, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  token = sb.store.issueTokens(HUB).accessToken;
});
afterAll(async () => {
  await sb.close();
});

describe('CRM sandbox: server', () => {
  it('listens on loopback only', () => {
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('counts /crm and /oauth requests and can add latency', async () => {
    sb.resetCallCount();
    await call('GET', `/crm/objects/2026-03/deals/${IDS.deals.usd}`);
    await call('GET', '/crm/objects/2026-03/deals/1', undefined, null);
    expect(sb.callCount()).toBe(2);

    const slow = await startCrmSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, latencyMs: 60, seed: [] });
    try {
      const t0 = performance.now();
      await fetch(`${slow.url}/crm/objects/2026-03/deals/1`);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
      expect(slow.callCount()).toBe(1);
    } finally {
      await slow.close();
    }
  });
});

describe('CRM sandbox: OAuth', () => {
  it('authorizes, exchanges the code once, refreshes, and describes the token', async () => {
    const location = await authorize();
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code')!;

    const exchange = { grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: REDIRECT, code };
    const first = await form(exchange);
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as Json;
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 1800, hub_id: HUB, scopes: ['oauth', 'crm.objects.deals.read'] });
    expect(typeof tokens.access_token).toBe('string');
    expect(typeof tokens.refresh_token).toBe('string');

    const reused = await form(exchange);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ status: 'BAD_AUTH_CODE', message: 'missing or unknown auth code' });

    const refreshed = await form({ grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as Json;
    expect(next.refresh_token).toBe(tokens.refresh_token);
    expect(next.access_token).not.toBe(tokens.access_token);

    const info = await introspect({ token: next.access_token, token_type_hint: 'access_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({
      active: true,
      client_id: CLIENT_ID,
      hub_id: HUB,
      scopes: ['oauth', 'crm.objects.deals.read'],
      scope: 'oauth crm.objects.deals.read',
      exp: expect.any(Number),
      user: expect.any(String),
      user_id: expect.any(Number),
      app_id: expect.any(Number),
      hub_domain: expect.any(String),
    });

    const deal = await call('GET', `/crm/objects/2026-03/deals/${IDS.deals.usd}`, undefined, next.access_token);
    expect(deal.status).toBe(200);
    const contact = await call('GET', `/crm/objects/2026-03/contacts/${IDS.contacts.ada}`, undefined, next.access_token);
    expect(contact.status).toBe(403);
    expectHubSpotError(contact.body, 'MISSING_SCOPES');
  });

  it('refuses a bad client secret, a wrong redirect_uri, a bad refresh token and a JSON body', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const base = { grant_type: 'authorization_code', client_id: CLIENT_ID, redirect_uri: REDIRECT, code };
    const badSecret = await form({ ...base, client_secret: 'nope' });
    expect(badSecret.status).toBe(400);
    expect(await badSecret.json()).toMatchObject({ status: 'BAD_CLIENT_ID', message: expect.any(String), correlationId: expect.any(String) });

    const badRedirect = await form({ ...base, client_secret: CLIENT_SECRET, redirect_uri: 'http://localhost:9999/cb' });
    expect(badRedirect.status).toBe(400);
    expect(await badRedirect.json()).toMatchObject({ status: 'BAD_REDIRECT_URI' });

    const badRefresh = await form({ grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, refresh_token: 'nope' });
    expect(badRefresh.status).toBe(400);
    expect(await badRefresh.json()).toMatchObject({ status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token' });

    const json = await fetch(`${sb.url}/oauth/2026-03/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...base, client_secret: CLIENT_SECRET }),
    });
    expect(json.status).toBe(400);

    const unknownToken = await introspect({ token: 'nope', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(unknownToken.status).toBe(200);
    expect(await unknownToken.json()).toEqual({ active: false });
    const unauthenticated = await introspect({ token: 'nope', client_id: CLIENT_ID, client_secret: 'wrong' });
    expect(unauthenticated.status).toBe(401);
  });

  it('serves only the date-versioned APIs: every legacy path answers 410 Gone', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const tokens = (await (
      await form({ grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: REDIRECT, code })
    ).json()) as Json;
    const legacy: Array<[string, string]> = [
      ['POST', '/oauth/v1/token'],
      ['GET', `/oauth/v1/access-tokens/${tokens.access_token}`],
      ['GET', `/crm/v3/objects/deals/${IDS.deals.usd}`],
      ['POST', '/crm/v4/associations/deals/line_items/batch/read'],
      ['POST', '/crm/v3/properties/invoices/groups'],
      ['GET', '/settings/v3/users/1'],
      ['GET', '/crm/v3/owners/1'],
    ];
    for (const [method, path] of legacy) {
      const res = await call(method, path, method === 'POST' ? {} : undefined, tokens.access_token);
      expect(res.status, `${method} ${path}`).toBe(410);
      expect(res.body).toMatchObject({ category: 'GONE', message: expect.stringMatching(/legacy HubSpot API path/) });
    }
  });

  it('installs into another hub with ?hub_id=, whose portal is empty', async () => {
    const code = (await authorize('&hub_id=555')).searchParams.get('code')!;
    const res = await form({ grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uri: REDIRECT, code });
    const tokens = (await res.json()) as Json;
    expect(tokens.hub_id).toBe(555);
    const deal = await call('GET', `/crm/objects/2026-03/deals/${IDS.deals.usd}`, undefined, tokens.access_token);
    expect(deal.status).toBe(404);
  });
});

describe('CRM sandbox: authentication on /crm', () => {
  it('answers 401 without, with an unknown and with an expired token', async () => {
    const none = await call('GET', `/crm/objects/2026-03/deals/${IDS.deals.usd}`, undefined, null);
    expect(none.status).toBe(401);
    expectHubSpotError(none.body, 'INVALID_AUTHENTICATION');

    const unknown = await call('GET', `/crm/objects/2026-03/deals/${IDS.deals.usd}`, undefined, 'not-a-token');
    expect(unknown.status).toBe(401);
    expectHubSpotError(unknown.body, 'INVALID_AUTHENTICATION');

    const { accessToken } = sb.store.issueTokens(HUB);
    sb.store.auth.expireAccessToken(accessToken, 5 * 60_000);
    const expired = await call('GET', `/crm/objects/2026-03/deals/${IDS.deals.usd}`, undefined, accessToken);
    expect(expired.status).toBe(401);
    expectHubSpotError(expired.body, 'EXPIRED_AUTHENTICATION');
    expect(expired.body.message).toBe('The OAuth token used to make this call expired 5 minute(s) ago.');
  });
});

describe('CRM sandbox: reading objects', () => {
  it('returns a deal with requested properties, the always-present ones and its associations', async () => {
    const res = await call(
      'GET',
      `/crm/objects/2026-03/deals/${IDS.deals.usd}?properties=dealname,deal_currency_code,hubspot_owner_id,not_a_property&associations=line_items,contacts,companies&archived=false`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: '9001', archived: false, createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect(res.body.properties).toEqual({
      createdate: res.body.createdAt,
      deal_currency_code: 'USD',
      dealname: 'Acme platform rollout',
      hs_lastmodifieddate: res.body.updatedAt,
      hs_object_id: '9001',
      hubspot_owner_id: null,
    });
    expect(Object.keys(res.body.associations).sort()).toEqual(['companies', 'contacts', 'line items']);
    expect(res.body.associations['line items'].results).toEqual(IDS.lineItems.usd.map((id) => ({ id, type: 'deal_to_line_item' })));
    expect(res.body.associations.contacts.results).toEqual([
      { id: '101', type: 'deal_to_contact' },
      { id: '102', type: 'deal_to_contact' },
    ]);
    expect(res.body.associations.companies.results).toEqual([
      { id: '201', type: 'deal_to_company' },
      { id: '201', type: 'deal_to_company_unlabeled' },
      { id: '202', type: 'deal_to_company_unlabeled' },
    ]);
  });

  it('serves contacts, companies, line items and quotes with string values', async () => {
    const contact = await call('GET', `/crm/objects/2026-03/contacts/${IDS.contacts.emilie}?properties=firstname,lastname,email,address,city,zip,country`);
    expect(contact.body.properties).toMatchObject({
      firstname: 'Émilie',
      lastname: 'du Châtelet',
      city: 'Paris',
      zip: '75007',
      country: 'France',
      lastmodifieddate: expect.any(String),
    });

    const company = await call('GET', `/crm/objects/2026-03/companies/${IDS.companies.acme}?properties=name,address,city,state,zip,country`);
    expect(company.body.properties).toMatchObject({ name: 'Acme Corporation', state: 'CA' });

    const unknownRoute = await call('GET', '/crm/v9/nothing-here');
    expect(unknownRoute.status).toBe(404);

    const li = await call(
      'GET',
      `/crm/objects/2026-03/line_items/${IDS.lineItems.usd[1]}?properties=quantity,price,amount,hs_discount_percentage,hs_tax_rate,hs_line_item_currency_code`,
    );
    expect(li.body.properties).toMatchObject({
      quantity: '1',
      price: '12000.00',
      amount: '10800.00',
      hs_discount_percentage: '10',
      hs_tax_rate: null,
      hs_line_item_currency_code: 'USD',
    });
    // HubSpot's documented link is the tax rate group; the rate is in the tax rates API.
    const taxed = await call('GET', `/crm/objects/2026-03/0-8/${IDS.lineItems.usd[2]}?properties=hs_tax_rate_group_id,hs_tax_rate`);
    expect(taxed.body.properties).toMatchObject({ hs_tax_rate_group_id: IDS.taxRates.salesTax, hs_tax_rate: null });
    const group = await call('GET', `/tax-rates/2026-03/tax-rates/${IDS.taxRates.salesTax}`);
    expect(group.status).toBe(200);
    expect(group.body).toMatchObject({ id: IDS.taxRates.salesTax, percentageRate: 8.25, active: true });
    expect((await call('GET', `/tax-rates/2026-03/tax-rates/${IDS.taxRates.deleted}`)).status).toBe(404);
    // The library list pages with `after` (the invoice mirror follows paging.next.after).
    const first = await call('GET', '/tax-rates/2026-03/tax-rates?limit=1');
    expect(first.body.results.map((r: Json) => r.id)).toEqual([IDS.taxRates.salesTax]);
    const rest = await call('GET', `/tax-rates/2026-03/tax-rates?after=${first.body.paging.next.after}`);
    expect(rest.body.results.map((r: Json) => r.id)).toEqual([IDS.taxRates.consumptionTax]);
    expect(rest.body.paging).toBeUndefined();

    const published = await call(
      'GET',
      `/crm/objects/2026-03/quotes/${IDS.quotes.published}?properties=hs_status,hs_locked,hs_currency&associations=line_items,deals`,
    );
    expect(published.body.properties).toMatchObject({ hs_status: 'APPROVED', hs_locked: 'true', hs_currency: 'USD' });
    expect(published.body.associations['line items'].results).toEqual(IDS.lineItems.published.map((id) => ({ id, type: 'quote_to_line_item' })));
    expect(published.body.associations.deals.results).toEqual([{ id: '9001', type: 'quote_to_deal' }]);
    const draft = await call('GET', `/crm/objects/2026-03/quote/${IDS.quotes.draft}?properties=hs_status,hs_locked`);
    expect(draft.body.properties).toMatchObject({ hs_status: 'DRAFT', hs_locked: 'false' });
  });

  it('answers 404 for unknown and archived records, 400 for an unknown object type', async () => {
    const missing = await call('GET', '/crm/objects/2026-03/deals/123456789');
    expect(missing.status).toBe(404);
    expectHubSpotError(missing.body, 'OBJECT_NOT_FOUND');

    const c = sb.store.addRecord(HUB, 'contacts', { firstname: 'Gone' });
    sb.store.archive(HUB, 'contacts', c.id);
    expect((await call('GET', `/crm/objects/2026-03/contacts/${c.id}`)).status).toBe(404);
    const archived = await call('GET', `/crm/objects/2026-03/contacts/${c.id}?archived=true`);
    expect(archived.body).toMatchObject({ id: c.id, archived: true, archivedAt: expect.any(String) });

    const badType = await call('GET', '/crm/objects/2026-03/widgets/1');
    expect(badType.status).toBe(400);
    expectHubSpotError(badType.body, 'VALIDATION_ERROR');
    expect(badType.body.message).toBe('Unable to infer object type from: widgets');
  });

  it('pages associations at 100 per object (250 lines) and not at exactly 100', async () => {
    const first = await call('GET', `/crm/objects/2026-03/deals/${IDS.deals.manyLines}?associations=line_items`);
    const assoc = first.body.associations['line items'];
    expect(assoc.results).toHaveLength(100);
    expect(assoc.paging.next.after).toEqual(expect.any(String));
    const seen = assoc.results.map((r: Json) => r.id);
    let link: string | undefined = assoc.paging.next.link;
    while (link) {
      const page = await call('GET', link.slice(sb.url.length));
      // The per-record list of the date-versioned API answers in the associations shape (`toObjectId`).
      seen.push(...page.body.results.map((r: Json) => String(r.toObjectId)));
      link = page.body.paging
        ? `${sb.url}/crm/objects/2026-03/deals/${IDS.deals.manyLines}/associations/line_items?after=${page.body.paging.next.after}`
        : undefined;
    }
    expect(seen).toEqual(IDS.lineItems.manyLines);

    const hundred = await call('GET', `/crm/objects/2026-03/deals/${IDS.deals.hundredLines}?associations=line_items`);
    expect(hundred.body.associations['line items'].results).toHaveLength(100);
    expect(hundred.body.associations['line items'].paging).toBeUndefined();
  });
});

describe('CRM sandbox: batch reads', () => {
  it('reads objects in a batch; missing ids give 207 with HubSpot errors', async () => {
    const ok = await call('POST', '/crm/objects/2026-03/line_items/batch/read', {
      inputs: IDS.lineItems.eur.map((id) => ({ id })),
      properties: ['quantity', 'price'],
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'COMPLETE', startedAt: expect.any(String), completedAt: expect.any(String) });
    expect(ok.body.results.map((r: Json) => [r.id, r.properties.quantity, r.properties.price])).toEqual([
      ['9002001', '5', '980.00'],
      ['9002002', '12.5', '45.50'],
    ]);

    const partial = await call('POST', '/crm/objects/2026-03/deals/batch/read', { inputs: [{ id: '9001' }, { id: '424242' }], properties: ['dealname'] });
    expect(partial.status).toBe(207);
    expect(partial.body.results.map((r: Json) => r.id)).toEqual(['9001']);
    expect(partial.body.numErrors).toBe(1);
    expect(partial.body.errors).toEqual([
      {
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        message: 'Could not get some DEAL objects, they may be deleted or not exist. Check that ids are valid.',
        context: { ids: ['424242'] },
      },
    ]);
  });

  it('refuses more than 100 inputs', async () => {
    const res = await call('POST', '/crm/objects/2026-03/line_items/batch/read', { inputs: IDS.lineItems.manyLines.slice(0, 101).map((id) => ({ id })) });
    expect(res.status).toBe(400);
    expectHubSpotError(res.body, 'VALIDATION_ERROR');
  });

  it('reads v4 associations with numeric toObjectId, labels and per-object paging', async () => {
    const res = await call('POST', '/crm/associations/2026-03/deals/companies/batch/read', { inputs: [{ id: IDS.deals.usd }] });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      {
        from: { id: '9001' },
        to: [
          {
            toObjectId: 201,
            associationTypes: [
              { category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' },
              { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
            ],
          },
          { toObjectId: 202, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 341, label: null }] },
        ],
      },
    ]);

    const ids: string[] = [];
    let inputs: Json[] = [{ id: IDS.deals.manyLines }];
    const sizes: number[] = [];
    while (inputs.length > 0) {
      const page = await call('POST', '/crm/associations/2026-03/deals/line_items/batch/read', { inputs });
      const result = page.body.results[0];
      sizes.push(result.to.length);
      ids.push(...result.to.map((t: Json) => String(t.toObjectId)));
      inputs = result.paging ? [{ id: IDS.deals.manyLines, after: result.paging.next.after }] : [];
    }
    expect(sizes).toEqual([100, 100, 50]);
    expect(ids).toEqual(IDS.lineItems.manyLines);
  });

  it('reports objects without associations as 207 NO_ASSOCIATIONS_FOUND and refuses over 1000 inputs', async () => {
    const res = await call('POST', '/crm/associations/2026-03/deals/contacts/batch/read', { inputs: [{ id: IDS.deals.eur }, { id: '424242' }] });
    expect(res.status).toBe(207);
    expect(res.body.results).toEqual([
      { from: { id: '9002' }, to: [{ toObjectId: 103, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 3, label: null }] }] },
    ]);
    expect(res.body.errors[0]).toMatchObject({
      status: 'error',
      category: 'OBJECT_NOT_FOUND',
      subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
      message: 'No contact is associated with deal 424242.',
    });

    const tooMany = await call('POST', '/crm/associations/2026-03/deals/contacts/batch/read', {
      inputs: Array.from({ length: 1001 }, (_, i) => ({ id: String(i + 1) })),
    });
    expect(tooMany.status).toBe(400);
    expectHubSpotError(tooMany.body, 'VALIDATION_ERROR');
  });
});

describe('CRM sandbox: invoice mirror writes', () => {
  let invoiceId: string;

  beforeEach(async () => {
    const res = await call('POST', '/crm/objects/2026-03/invoices', {
      properties: { hs_currency: 'USD', hs_invoice_date: '2025-02-01', hs_due_date: '2025-03-03' },
      associations: [{ to: { id: IDS.deals.usd }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 175 }] }],
    });
    expect(res.status).toBe(201);
    expect(res.body.properties).toMatchObject({ hs_currency: 'USD', hs_invoice_status: 'draft', hs_object_id: res.body.id });
    invoiceId = res.body.id;
  });

  it('creates line items on the invoice in a batch and shows them on GET', async () => {
    const lines = await call('POST', '/crm/objects/2026-03/line_items/batch/create', {
      inputs: [
        {
          properties: { name: 'Consulting', quantity: '2', price: '150.00', hs_tax_rate_group_id: IDS.taxRates.salesTax },
          associations: [{ to: { id: invoiceId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 410 }] }],
        },
        {
          properties: { name: 'Licence', quantity: 1, price: 1000, hs_discount_percentage: '12.5' },
          associations: [{ to: { id: invoiceId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 410 }] }],
        },
      ],
    });
    expect(lines.status).toBe(201);
    expect(lines.body.status).toBe('COMPLETE');
    expect(lines.body.results.map((r: Json) => r.properties.amount)).toEqual(['300', '875']);
    // The invoice mirror links a taxed line to the portal's tax rate group; the sandbox keeps it.
    const taxed = await call('GET', `/crm/objects/2026-03/line_items/${lines.body.results[0].id}?properties=hs_tax_rate_group_id`);
    expect(taxed.body.properties.hs_tax_rate_group_id).toBe(IDS.taxRates.salesTax);

    const invoice = await call('GET', `/crm/objects/2026-03/invoices/${invoiceId}?properties=hs_currency,hs_invoice_status&associations=line_items,deals`);
    expect(invoice.body.associations['line items'].results).toEqual(lines.body.results.map((r: Json) => ({ id: r.id, type: 'invoice_to_line_item' })));
    expect(invoice.body.associations.deals.results).toEqual([{ id: '9001', type: 'invoice_to_deal' }]);
  });

  it('refuses to put a deal line item on an invoice (one parent per line item)', async () => {
    const res = await call('PUT', `/crm/objects/2026-03/line_items/${IDS.lineItems.usd[0]}/associations/default/invoices/${invoiceId}`);
    expect(res.status).toBe(400);
    expectHubSpotError(res.body, 'VALIDATION_ERROR');
  });

  it('opens an invoice only with exactly one contact and at least one line item', async () => {
    const open = { properties: { hs_invoice_status: 'open' } };
    const bare = await call('PATCH', `/crm/objects/2026-03/invoices/${invoiceId}`, open);
    expect(bare.status).toBe(400);
    expectHubSpotError(bare.body, 'VALIDATION_ERROR');

    const assoc = await call('PUT', `/crm/objects/2026-03/invoices/${invoiceId}/associations/default/contacts/${IDS.contacts.ada}`);
    expect(assoc.status).toBe(200);
    expect(assoc.body).toMatchObject({ status: 'COMPLETE' });
    expect(assoc.body.results[0]).toEqual({
      from: { id: invoiceId },
      to: { id: '101' },
      associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 177 },
    });
    expect((await call('PATCH', `/crm/objects/2026-03/invoices/${invoiceId}`, open)).status).toBe(400);

    await call('POST', '/crm/objects/2026-03/line_items', {
      properties: { name: 'Consulting', quantity: '1', price: '99.99' },
      associations: [{ to: { id: invoiceId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 410 }] }],
    });
    await call('PUT', `/crm/objects/2026-03/invoices/${invoiceId}/associations/default/contacts/${IDS.contacts.grace}`);
    expect((await call('PATCH', `/crm/objects/2026-03/invoices/${invoiceId}`, open)).status).toBe(400);

    await call('DELETE', `/crm/objects/2026-03/invoices/${invoiceId}/associations/contacts/${IDS.contacts.grace}`);
    const opened = await call('PATCH', `/crm/objects/2026-03/invoices/${invoiceId}`, open);
    expect(opened.status).toBe(200);
    expect(opened.body.properties.hs_invoice_status).toBe('open');
  });

  it('validates properties like HubSpot and 404s an unknown invoice', async () => {
    const noCurrency = await call('POST', '/crm/objects/2026-03/invoices', { properties: { hs_comments: 'x' } });
    expect(noCurrency.status).toBe(400);
    const unknownProp = await call('PATCH', `/crm/objects/2026-03/invoices/${invoiceId}`, { properties: { no_such_property: 'x' } });
    expect(unknownProp.status).toBe(400);
    expectHubSpotError(unknownProp.body, 'VALIDATION_ERROR');
    expect(unknownProp.body.message).toContain('PROPERTY_DOESNT_EXIST');
    const badStatus = await call('PATCH', `/crm/objects/2026-03/invoices/${invoiceId}`, { properties: { hs_invoice_status: 'sent' } });
    expect(badStatus.status).toBe(400);
    const missing = await call('PATCH', '/crm/objects/2026-03/invoices/1', { properties: { hs_comments: 'x' } });
    expect(missing.status).toBe(404);
    expectHubSpotError(missing.body, 'OBJECT_NOT_FOUND');
    const badJson = await fetch(`${sb.url}/crm/objects/2026-03/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"properties":',
    });
    expect(badJson.status).toBe(400);
  });

  it('finds invoices by an EQ filter on a (custom) property', async () => {
    sb.store.defineProperty(HUB, 'invoices', 'invoicing_app_id');
    await call('PATCH', `/crm/objects/2026-03/invoices/${invoiceId}`, { properties: { invoicing_app_id: `inv-${invoiceId}` } });
    const found = await call('POST', '/crm/objects/2026-03/invoices/search', {
      filterGroups: [{ filters: [{ propertyName: 'invoicing_app_id', operator: 'EQ', value: `inv-${invoiceId}` }] }],
      properties: ['invoicing_app_id', 'hs_currency'],
      limit: 10,
    });
    expect(found.status).toBe(200);
    expect(found.body.total).toBe(1);
    expect(found.body.results[0]).toMatchObject({ id: invoiceId, properties: { invoicing_app_id: `inv-${invoiceId}`, hs_currency: 'USD' } });
    const none = await call('POST', '/crm/objects/2026-03/invoices/search', {
      filterGroups: [{ filters: [{ propertyName: 'invoicing_app_id', operator: 'EQ', value: 'nope' }] }],
    });
    expect(none.body).toEqual({ total: 0, results: [] });
  });
});

describe('CRM sandbox: store helpers', () => {
  it('replaces a deal’s line items, which reads then see', async () => {
    const hub = 777;
    const seeded = await startCrmSandbox({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      seed: {
        hubId: hub,
        records: [
          { type: 'deals', id: '1', properties: { dealname: 'Webhook deal', deal_currency_code: 'EUR' } },
          { type: 'line_items', id: '11', properties: { name: 'Old', quantity: '1', price: '5' } },
        ],
        associations: [{ from: { type: 'deals', id: '1' }, to: { type: 'line_items', id: '11' } }],
      },
    });
    try {
      const t = seeded.store.issueTokens(hub).accessToken;
      const read = () =>
        fetch(`${seeded.url}/crm/associations/2026-03/deals/line_items/batch/read`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
          body: JSON.stringify({ inputs: [{ id: '1' }] }),
        }).then((r) => r.json() as Promise<Json>);
      expect((await read()).results[0].to.map((x: Json) => x.toObjectId)).toEqual([11]);
      const fresh = seeded.store.setDealLineItems(hub, '1', [
        { name: 'New A', quantity: '2', price: '7.50' },
        { name: 'New B', quantity: '1', price: '3' },
      ]);
      expect(fresh.map((l) => l.properties.amount)).toEqual(['15', '3']);
      expect((await read()).results[0].to.map((x: Json) => String(x.toObjectId))).toEqual(fresh.map((l) => l.id));
      const old = await fetch(`${seeded.url}/crm/objects/2026-03/line_items/11`, { headers: { authorization: `Bearer ${t}` } });
      expect(old.status).toBe(404);
    } finally {
      await seeded.close();
    }
  });
});
