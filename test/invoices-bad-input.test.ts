import jwt from 'jsonwebtoken';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { issueApiToken } from '../src/app/api-tokens.js';
import { TEST_SECRET, newPortalId, type Api } from './helpers/app.js';
import { draftBody } from './helpers/factories.js';
import { useTestApp } from './helpers/use-test-app.js';
import { invoiceIn, type InvoiceState, type InvoiceSteps } from './helpers/invoices.js';
import { verifiedDomain } from './helpers/domains.js';
import { FakeDnsResolver } from './fakes/dns-resolver.js';

const dns = new FakeDnsResolver();
const t = useTestApp({ clock: '2026-11-28T12:00:00Z', resolver: dns });

type Detail = { path: string; message: string };

/** The docs/api.md error shape, with the given status and code, and a detail for each of `paths`. */
function expectError(res: supertest.Response, status: number, code: string, paths: string[] = []) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ error: { code, message: expect.any(String), details: expect.any(Array) } });
  expect(res.body.error.message.length).toBeGreaterThan(0);
  for (const d of res.body.error.details) expect(d).toEqual({ path: expect.any(String), message: expect.any(String) });
  const got = res.body.error.details.map((d: Detail) => d.path);
  for (const p of paths) expect(got, `details should name ${p}: ${JSON.stringify(res.body.error)}`).toContain(p);
}

/** No invoice exists in the portal. */
async function expectNoInvoices(api: Api) {
  const list = await api.get('/api/v1/invoices?view=all');
  expect(list.status).toBe(200);
  expect(list.body).toMatchObject({ data: [], nextCursor: null });
}

/** A draft, plus a function asserting that neither it nor its audit log changed since. */
async function draftWithSnapshot(api: Api, body: object = draftBody()) {
  const created = await api.post('/api/v1/invoices', body);
  expect(created.status).toBe(201);
  return snapshotOf(api, created.body.id as string);
}

async function snapshotOf(api: Api, id: string) {
  const before = await api.get(`/api/v1/invoices/${id}`);
  const eventsBefore = await api.get(`/api/v1/invoices/${id}/events`);
  expect(before.status).toBe(200);
  return {
    id,
    invoice: before.body,
    async expectUnchanged() {
      const after = await api.get(`/api/v1/invoices/${id}`);
      expect(after.status).toBe(200);
      expect(after.body).toEqual(before.body);
      expect((await api.get(`/api/v1/invoices/${id}/events`)).body).toEqual(eventsBefore.body);
    },
  };
}

/** An invoice of 16335 minor units in `state` (open by default), with a snapshot as {@link draftWithSnapshot}. */
async function invoiceWithSnapshot(api: Api, state: Exclude<InvoiceState, 'draft'> = 'open', steps: InvoiceSteps = {}) {
  return snapshotOf(api, (await invoiceIn(api, state, {}, steps)).id);
}

/** A request with a raw (unserialized) body and the portal's token. */
function rawRequest(api: Api, method: 'post' | 'patch' | 'put', url: string, body: string) {
  return supertest(t.app)[method](url).set('Authorization', `Bearer ${api.token}`).set('Content-Type', 'application/json').send(body);
}

const line = draftBody().lineItems[0]!;
const withLine = (fields: Record<string, unknown>) => ({ lineItems: [{ ...line, ...fields }] });

/** Draft fields that are wrong, and the field path the error must name. `createOnly`: not an error on PATCH. */
const BAD_DRAFT_FIELDS: Array<{ name: string; fields: Record<string, unknown>; path: string; createOnly?: boolean }> = [
  { name: 'unknown top-level field', fields: { colour: 'red' }, path: 'colour' },
  { name: 'unknown field in a line', fields: withLine({ colour: 'red' }), path: 'lineItems[0].colour' },
  { name: 'unknown field in a line discount', fields: withLine({ discount: { type: 'percent', value: '10', cap: '5' } }), path: 'lineItems[0].discount.cap' },
  { name: 'unknown field in billTo', fields: { billTo: { name: 'Ada', email: 'ada@example.com', phone: '123' } }, path: 'billTo.phone' },
  { name: 'unknown association type', fields: { associations: { tickets: ['1'] } }, path: 'associations.tickets' },
  { name: 'string unitPrice', fields: withLine({ unitPrice: '10000' }), path: 'lineItems[0].unitPrice' },
  { name: 'number quantity', fields: withLine({ quantity: 2 }), path: 'lineItems[0].quantity' },
  { name: 'lineItems that is not an array', fields: { lineItems: 'none' }, path: 'lineItems' },
  { name: 'boolean written as a string', fields: { allowPartialPayments: 'yes' }, path: 'allowPartialPayments' },
  { name: 'unknown currency XYZ', fields: { currency: 'XYZ' }, path: 'currency' },
  { name: 'lowercase currency', fields: { currency: 'usd' }, path: 'currency' },
  { name: 'numeric currency', fields: { currency: 840 }, path: 'currency' },
  { name: 'negative unitPrice', fields: withLine({ unitPrice: -1 }), path: 'lineItems[0].unitPrice' },
  { name: 'fractional unitPrice', fields: withLine({ unitPrice: 10.5 }), path: 'lineItems[0].unitPrice' },
  { name: 'unitPrice just past MAX_SAFE_INTEGER', fields: withLine({ unitPrice: Number.MAX_SAFE_INTEGER + 1 }), path: 'lineItems[0].unitPrice' },
  { name: 'unitPrice of 1e20', fields: withLine({ unitPrice: 1e20 }), path: 'lineItems[0].unitPrice' },
  { name: 'quantity "0"', fields: withLine({ quantity: '0' }), path: 'lineItems[0].quantity' },
  { name: 'quantity "-1"', fields: withLine({ quantity: '-1' }), path: 'lineItems[0].quantity' },
  { name: 'quantity "1e3"', fields: withLine({ quantity: '1e3' }), path: 'lineItems[0].quantity' },
  { name: 'quantity "abc"', fields: withLine({ quantity: 'abc' }), path: 'lineItems[0].quantity' },
  { name: 'empty quantity', fields: withLine({ quantity: '' }), path: 'lineItems[0].quantity' },
  { name: 'line without a name', fields: withLine({ name: '  ' }), path: 'lineItems[0].name' },
  { name: 'discount percent above 100', fields: withLine({ discount: { type: 'percent', value: '100.01' } }), path: 'lineItems[0].discount.value' },
  { name: 'amount discount larger than the line', fields: withLine({ discount: { type: 'amount', value: '15001' } }), path: 'lineItems[0].discount.value' },
  { name: 'unknown discount type', fields: withLine({ discount: { type: 'bogo', value: '1' } }), path: 'lineItems[0].discount.type' },
  { name: 'line total past the safe range', fields: withLine({ quantity: '1000000', unitPrice: 9e12, discount: null, taxRate: null }), path: 'lineItems[0]' },
  {
    name: 'subtotal past the safe range',
    fields: { lineItems: [0, 1].map(() => ({ name: 'Big', quantity: '1', unitPrice: 5e15 })) },
    path: 'total',
  },
  { name: 'tax rate "abc"', fields: withLine({ taxRate: 'abc' }), path: 'lineItems[0].taxRate' },
  { name: 'tax rate above 100', fields: withLine({ taxRate: '101' }), path: 'lineItems[0].taxRate' },
  { name: 'adjustment percent above 100', fields: { adjustments: [{ kind: 'discount', type: 'percent', value: '150' }] }, path: 'adjustments[0].value' },
  { name: 'invoice date 2026-02-30', fields: { invoiceDate: '2026-02-30' }, path: 'invoiceDate' },
  { name: 'invoice date with a time', fields: { invoiceDate: '2026-11-28T00:00:00Z' }, path: 'invoiceDate' },
  { name: 'invoice date in DD-MM-YYYY', fields: { invoiceDate: '28-11-2026' }, path: 'invoiceDate' },
  { name: 'due date 2026-02-30', fields: { paymentTerms: 'custom', dueDate: '2026-02-30' }, path: 'dueDate' },
  { name: 'custom due date before the invoice date', fields: { paymentTerms: 'custom', dueDate: '2026-11-27' }, path: 'dueDate' },
  { name: 'custom terms without a due date', fields: { paymentTerms: 'custom' }, path: 'dueDate', createOnly: true },
  { name: 'due date that net_30 does not give', fields: { paymentTerms: 'net_30', dueDate: '2026-12-01' }, path: 'dueDate' },
  { name: 'unknown payment terms', fields: { paymentTerms: 'net_90' }, path: 'paymentTerms' },
  { name: 'repeated payment method', fields: { paymentMethods: ['card', 'card'] }, path: 'paymentMethods' },
  { name: 'unknown payment method', fields: { paymentMethods: ['paypal'] }, path: 'paymentMethods[0]' },
  { name: 'domain not in settings', fields: { domain: 'billing.example.com' }, path: 'domain' },
  { name: 'domain that is not a host name', fields: { domain: 'https://billing.example.com/x' }, path: 'domain' },
  { name: 'invalid billing email', fields: { billTo: { name: 'Ada', email: 'not-an-email' } }, path: 'billTo.email' },
  { name: 'non-numeric HubSpot id', fields: { associations: { contacts: ['abc'] } }, path: 'associations.contacts[0]' },
  { name: 'unknown source object type', fields: { source: { objectType: 'tickets', objectId: '1' } }, path: 'source.objectType' },
  // Text PostgreSQL cannot store (NUL) or that is not Unicode (a lone surrogate) is bad input, not a 500.
  { name: 'a NUL character in buyerComments', fields: { buyerComments: 'Thanks\u0000' }, path: 'buyerComments' },
  { name: 'a NUL character in a line name', fields: withLine({ name: 'Onboarding\u0000' }), path: 'lineItems[0].name' },
  { name: 'a NUL character in a line sku', fields: withLine({ sku: 'ONB\u0000' }), path: 'lineItems[0].sku' },
  { name: 'a NUL character in the billing name', fields: { billTo: { name: 'Ada\u0000', email: 'ada@example.com' } }, path: 'billTo.name' },
  { name: 'a lone surrogate in the billing name', fields: { billTo: { name: 'Ada \ud800', email: 'ada@example.com' } }, path: 'billTo.name' },
  { name: 'a lone surrogate in buyerComments', fields: { buyerComments: 'Thanks \udfff' }, path: 'buyerComments' },
];

describe('bad draft input on create', () => {
  for (const c of BAD_DRAFT_FIELDS) {
    it(`POST refuses ${c.name} with 400 naming ${c.path}, creating nothing`, async () => {
      const api = t.as(newPortalId());
      const res = await api.post('/api/v1/invoices', draftBody(c.fields));
      expectError(res, 400, 'validation_failed', [c.path]);
      await expectNoInvoices(api);
    });
  }

  it('lists every bad field of a body in one answer', async () => {
    const api = t.as(newPortalId());
    const res = await api.post(
      '/api/v1/invoices',
      draftBody({
        lineItems: [
          { ...line, quantity: '0', taxRate: 'abc' },
          { ...line, unitPrice: -5 },
        ],
        invoiceDate: '2026-02-30',
      }),
    );
    expectError(res, 400, 'validation_failed', ['lineItems[1].unitPrice', 'invoiceDate']);
    await expectNoInvoices(api);
  });

  it('refuses malformed JSON with 400 validation_failed naming the body', async () => {
    const api = t.as(newPortalId());
    const res = await rawRequest(api, 'post', '/api/v1/invoices', '{"currency": "USD", "lineItems": [');
    expectError(res, 400, 'validation_failed', ['body']);
    await expectNoInvoices(api);
  });

  it('refuses a JSON body that is not an object', async () => {
    const api = t.as(newPortalId());
    for (const body of ['[]', '"USD"', '42', 'null']) {
      expectError(await rawRequest(api, 'post', '/api/v1/invoices', body), 400, 'validation_failed');
    }
    await expectNoInvoices(api);
  });

  it('refuses a body over 1 MB with 413 payload_too_large', async () => {
    const api = t.as(newPortalId());
    const res = await api.post('/api/v1/invoices', draftBody({ buyerComments: 'x'.repeat(1_100_000) }));
    expectError(res, 413, 'payload_too_large');
    await expectNoInvoices(api);
  });

  it('accepts a body just under 1 MB up to the field limits (the size check is on bytes, not fields)', async () => {
    const api = t.as(newPortalId());
    // 1000 lines with long descriptions: ~900 kB, all valid.
    const lines = Array.from({ length: 1000 }, (_, i) => ({ name: `Line ${i}`, description: 'd'.repeat(850), quantity: '1', unitPrice: 100 }));
    const res = await api.post('/api/v1/invoices', draftBody({ lineItems: lines }));
    expect(res.status).toBe(201);
    expect(res.body.subtotal).toBe(100_000);
  });
});

describe('bad draft input on edit', () => {
  for (const c of BAD_DRAFT_FIELDS.filter((x) => !x.createOnly)) {
    it(`PATCH refuses ${c.name} with 400 naming ${c.path}, changing nothing`, async () => {
      const api = t.as(newPortalId());
      const draft = await draftWithSnapshot(api);
      const res = await api.patch(`/api/v1/invoices/${draft.id}`, { version: 1, ...c.fields });
      expectError(res, 400, 'validation_failed', [c.path]);
      await draft.expectUnchanged();
    });
  }

  it('PATCH without a version, or with a version that is not a positive integer, is 400 naming version', async () => {
    const api = t.as(newPortalId());
    const draft = await draftWithSnapshot(api);
    for (const body of [{ buyerComments: 'x' }, { version: '1', buyerComments: 'x' }, { version: 0 }, { version: 1.5 }]) {
      expectError(await api.patch(`/api/v1/invoices/${draft.id}`, body), 400, 'validation_failed', ['version']);
    }
    await draft.expectUnchanged();
  });

  it('PATCH with malformed JSON is 400 and changes nothing', async () => {
    const api = t.as(newPortalId());
    const draft = await draftWithSnapshot(api);
    expectError(await rawRequest(api, 'patch', `/api/v1/invoices/${draft.id}`, '{"version": 1, "buyerComments": '), 400, 'validation_failed', ['body']);
    await draft.expectUnchanged();
  });

  it('PATCH with a body over 1 MB is 413 and changes nothing', async () => {
    const api = t.as(newPortalId());
    const draft = await draftWithSnapshot(api);
    expectError(await api.patch(`/api/v1/invoices/${draft.id}`, { version: 1, buyerComments: 'x'.repeat(1_100_000) }), 413, 'payload_too_large');
    await draft.expectUnchanged();
  });

  it("refuses a domain that is not among the portal's verified domains even when others are, and a pending one", async () => {
    const portalId = newPortalId();
    const api = t.as(portalId);
    const verified = `billing-${portalId}.example.com`;
    const pending = `pending-${portalId}.example.com`;
    await verifiedDomain(api, dns, verified);
    expect((await api.post('/api/v1/settings/domains', { domain: pending })).status).toBe(201);
    const draft = await draftWithSnapshot(api, draftBody({ domain: verified }));
    for (const domain of ['pay.example.org', pending]) {
      expectError(await api.patch(`/api/v1/invoices/${draft.id}`, { version: 1, domain }), 400, 'validation_failed', ['domain']);
      await draft.expectUnchanged();
      expectError(await api.post('/api/v1/invoices', draftBody({ domain })), 400, 'validation_failed', ['domain']);
    }
    expect((await api.get('/api/v1/invoices')).body.data).toHaveLength(1);
  });

  it('refuses a stale version with 409 version_conflict, changing nothing', async () => {
    const api = t.as(newPortalId());
    const created = (await api.post('/api/v1/invoices', draftBody())).body;
    expect((await api.patch(`/api/v1/invoices/${created.id}`, { version: 1, buyerComments: 'first' })).status).toBe(200);
    const draft = await snapshotOf(api, created.id);
    for (const version of [1, 3, 99]) {
      expectError(await api.patch(`/api/v1/invoices/${created.id}`, { version, buyerComments: 'lost update' }), 409, 'version_conflict', ['version']);
    }
    await draft.expectUnchanged();
    expect(draft.invoice).toMatchObject({ version: 2, buyerComments: 'first' });
  });
});

describe('finalized invoices', () => {
  it('PATCH on a finalized invoice is 409 invoice_not_editable, even with the current version', async () => {
    const api = t.as(newPortalId());
    const inv = await invoiceWithSnapshot(api);
    for (const version of [inv.invoice.version, 1]) {
      expectError(await api.patch(`/api/v1/invoices/${inv.id}`, { version, buyerComments: 'x' }), 409, 'invoice_not_editable');
    }
    await inv.expectUnchanged();
  });

  it('DELETE of a finalized invoice is 409 invoice_not_editable; finalizing twice takes no second number', async () => {
    const api = t.as(newPortalId());
    const inv = await invoiceWithSnapshot(api);
    expectError(await api.delete(`/api/v1/invoices/${inv.id}`), 409, 'invoice_not_editable');
    expectError(await api.post(`/api/v1/invoices/${inv.id}/finalize`), 409, 'invoice_not_editable');
    await inv.expectUnchanged();
    expect(inv.invoice.number).toBe('INV-1001');
    expect((await api.get('/api/v1/settings')).body.nextNumber).toBe(1002);
  });

  it('refusing to finalize (422 invoice_not_finalizable) takes no number and changes nothing', async () => {
    const api = t.as(newPortalId());
    const draft = await draftWithSnapshot(api, draftBody({ billTo: { name: 'No Email' } }));
    expectError(await api.post(`/api/v1/invoices/${draft.id}/finalize`), 422, 'invoice_not_finalizable', ['billTo']);
    await draft.expectUnchanged();
    expect((await api.get('/api/v1/settings')).body.nextNumber).toBe(1001);
  });
});

describe('payments', () => {
  it('refuses a payment above the balance with 422 payment_exceeds_balance naming amount', async () => {
    const api = t.as(newPortalId());
    const inv = await invoiceWithSnapshot(api);
    expectError(await api.post(`/api/v1/invoices/${inv.id}/payments`, { amount: 16336, method: 'cash' }), 422, 'payment_exceeds_balance', ['amount']);
    await inv.expectUnchanged();
    // After a partial payment the limit is the remaining balance.
    expect((await api.post(`/api/v1/invoices/${inv.id}/payments`, { amount: 16000, method: 'cash' })).status).toBe(201);
    const partly = await snapshotOf(api, inv.id);
    expectError(await api.post(`/api/v1/invoices/${inv.id}/payments`, { amount: 336, method: 'cash' }), 422, 'payment_exceeds_balance', ['amount']);
    await partly.expectUnchanged();
    expect(partly.invoice).toMatchObject({ amountPaid: 16000, balanceDue: 335, status: 'open' });
  });

  const BAD_PAYMENTS: Array<{ name: string; body: Record<string, unknown>; path: string }> = [
    { name: 'an amount of 0', body: { amount: 0, method: 'cash' }, path: 'amount' },
    { name: 'a negative amount', body: { amount: -100, method: 'cash' }, path: 'amount' },
    { name: 'a fractional amount', body: { amount: 10.5, method: 'cash' }, path: 'amount' },
    { name: 'an amount written as a string', body: { amount: '100', method: 'cash' }, path: 'amount' },
    { name: 'an amount past MAX_SAFE_INTEGER', body: { amount: 1e20, method: 'cash' }, path: 'amount' },
    { name: 'a missing amount', body: { method: 'cash' }, path: 'amount' },
    { name: 'an unknown method', body: { amount: 100, method: 'bitcoin' }, path: 'method' },
    { name: 'a missing method', body: { amount: 100 }, path: 'method' },
    { name: 'an impossible receivedOn date', body: { amount: 100, method: 'cash', receivedOn: '2026-02-30' }, path: 'receivedOn' },
    { name: 'a receivedOn date in the future', body: { amount: 100, method: 'cash', receivedOn: '2026-11-29' }, path: 'receivedOn' },
    { name: 'an unknown field', body: { amount: 100, method: 'cash', currency: 'EUR' }, path: 'currency' },
  ];
  for (const c of BAD_PAYMENTS) {
    it(`refuses a payment with ${c.name} (400 naming ${c.path}), recording nothing`, async () => {
      const api = t.as(newPortalId());
      const inv = await invoiceWithSnapshot(api);
      expectError(await api.post(`/api/v1/invoices/${inv.id}/payments`, c.body), 400, 'validation_failed', [c.path]);
      await inv.expectUnchanged();
    });
  }

  it('refuses a payment with malformed JSON', async () => {
    const api = t.as(newPortalId());
    const inv = await invoiceWithSnapshot(api);
    expectError(await rawRequest(api, 'post', `/api/v1/invoices/${inv.id}/payments`, '{"amount": 100,'), 400, 'validation_failed', ['body']);
    await inv.expectUnchanged();
  });

  it('refuses payments on a draft, a paid and a void invoice with 422 invoice_not_payable', async () => {
    const api = t.as(newPortalId());
    const draft = await draftWithSnapshot(api);
    expectError(await api.post(`/api/v1/invoices/${draft.id}/payments`, { amount: 100, method: 'cash' }), 422, 'invoice_not_payable');
    await draft.expectUnchanged();

    const paidSnap = await invoiceWithSnapshot(api, 'paid');
    expectError(await api.post(`/api/v1/invoices/${paidSnap.id}/payments`, { amount: 1, method: 'cash' }), 422, 'invoice_not_payable');
    await paidSnap.expectUnchanged();

    const voidSnap = await invoiceWithSnapshot(api, 'void', { voidReason: 'duplicate' });
    expectError(await api.post(`/api/v1/invoices/${voidSnap.id}/payments`, { amount: 1, method: 'cash' }), 422, 'invoice_not_payable');
    await voidSnap.expectUnchanged();
  });
});

describe('voiding', () => {
  it('refuses to void a paid invoice with 422, changing nothing', async () => {
    const api = t.as(newPortalId());
    const paid = await invoiceWithSnapshot(api, 'paid', { payment: { method: 'check' } });
    expect(paid.invoice.status).toBe('paid');
    expectError(await api.post(`/api/v1/invoices/${paid.id}/void`, { reason: 'oops' }), 422, 'invoice_not_voidable');
    await paid.expectUnchanged();
  });

  it('refuses to void a partly paid invoice, a draft, or a void invoice again', async () => {
    const api = t.as(newPortalId());
    const partlySnap = await invoiceWithSnapshot(api, 'partly_paid', { payment: { amount: 100 } });
    expectError(await api.post(`/api/v1/invoices/${partlySnap.id}/void`, { reason: 'x' }), 422, 'invoice_not_voidable');
    await partlySnap.expectUnchanged();

    const draft = await draftWithSnapshot(api);
    expectError(await api.post(`/api/v1/invoices/${draft.id}/void`, { reason: 'x' }), 422, 'invoice_not_voidable');
    await draft.expectUnchanged();

    const voidSnap = await invoiceWithSnapshot(api, 'void', { voidReason: 'first' });
    expectError(await api.post(`/api/v1/invoices/${voidSnap.id}/void`, { reason: 'second' }), 422, 'invoice_not_voidable');
    await voidSnap.expectUnchanged();
    expect(voidSnap.invoice.voidReason).toBe('first');
  });

  it('refuses a bad void body with 400 naming the field', async () => {
    const api = t.as(newPortalId());
    const inv = await invoiceWithSnapshot(api);
    expectError(await api.post(`/api/v1/invoices/${inv.id}/void`, { reason: 'r'.repeat(501) }), 400, 'validation_failed', ['reason']);
    expectError(await api.post(`/api/v1/invoices/${inv.id}/void`, { reason: 42 }), 400, 'validation_failed', ['reason']);
    await inv.expectUnchanged();
  });

  it('refuses an unknown field in the void body with 400 naming it', async () => {
    const api = t.as(newPortalId());
    const inv = await invoiceWithSnapshot(api);
    expectError(await api.post(`/api/v1/invoices/${inv.id}/void`, { reason: 'x', notify: true }), 400, 'validation_failed', ['notify']);
    await inv.expectUnchanged();
  });
});

describe('authentication and authorization', () => {
  /** Authorization header values that must all be refused with 401 for `portalId`. */
  function badAuthorizations(portalId: number): Array<[string, string | null]> {
    const claims = { portalId, userId: '1', scopes: ['invoices:read', 'invoices:write'] };
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    return [
      ['a missing Authorization header', null],
      ['an empty bearer token', 'Bearer '],
      ['a Basic scheme', `Basic ${Buffer.from('user:pass').toString('base64')}`],
      ['a token that is not a JWT', 'Bearer not-a-jwt'],
      ['an expired token', `Bearer ${issueApiToken(TEST_SECRET, { ...claims, scopes: ['invoices:write'], expiresIn: '-1m' })}`],
      [
        'a token signed with the wrong secret',
        `Bearer ${issueApiToken('another-secret-another-secret-0123456789', { portalId, userId: '1', scopes: ['invoices:write'] })}`,
      ],
      [
        'an unsigned (alg none) token',
        `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: 'hubspot-invoicing', aud: 'hubspot-invoicing-api', iat: now, exp: now + 3600 })}.`,
      ],
      [
        'a token for another audience',
        `Bearer ${jwt.sign(claims, TEST_SECRET, { algorithm: 'HS256', issuer: 'hubspot-invoicing', audience: 'someone-else', expiresIn: '1h' })}`,
      ],
      [
        'a token without scopes',
        `Bearer ${jwt.sign({ portalId, userId: '1' }, TEST_SECRET, { algorithm: 'HS256', issuer: 'hubspot-invoicing', audience: 'hubspot-invoicing-api', expiresIn: '1h' })}`,
      ],
      [
        'a token with a tampered portal',
        `Bearer ${tamperPortal(issueApiToken(TEST_SECRET, { portalId: portalId + 1, userId: '1', scopes: ['invoices:write'] }), portalId)}`,
      ],
    ];
  }

  /** Rewrites the payload's portalId while keeping the original signature. */
  function tamperPortal(token: string, portalId: number): string {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return `${header}.${Buffer.from(JSON.stringify({ ...claims, portalId })).toString('base64url')}.${signature}`;
  }

  it('refuses every bad or missing token with 401 unauthenticated and creates nothing', async () => {
    const portalId = newPortalId();
    const api = t.as(portalId);
    for (const [label, authorization] of badAuthorizations(portalId)) {
      const req = supertest(t.app).post('/api/v1/invoices');
      if (authorization !== null) req.set('Authorization', authorization);
      const res = await req.send(draftBody());
      expect(res.status, label).toBe(401);
      expectError(res, 401, 'unauthenticated');
      const get = supertest(t.app).get('/api/v1/invoices');
      if (authorization !== null) get.set('Authorization', authorization);
      expect((await get).status, label).toBe(401);
    }
    await expectNoInvoices(api);
  });

  it('refuses bad tokens on edits too, changing nothing', async () => {
    const portalId = newPortalId();
    const api = t.as(portalId);
    const draft = await draftWithSnapshot(api);
    for (const [label, authorization] of badAuthorizations(portalId)) {
      const req = supertest(t.app).patch(`/api/v1/invoices/${draft.id}`);
      if (authorization !== null) req.set('Authorization', authorization);
      const res = await req.send({ version: 1, buyerComments: 'hacked' });
      expect(res.status, label).toBe(401);
      expect(res.body.error.code, label).toBe('unauthenticated');
    }
    await draft.expectUnchanged();
  });

  it('refuses writes without the invoices:write scope with 403 forbidden', async () => {
    const portalId = newPortalId();
    const owner = t.as(portalId);
    const reader = t.as(portalId, ['invoices:read']);
    expectError(await reader.post('/api/v1/invoices', draftBody()), 403, 'forbidden');
    await expectNoInvoices(owner);

    const draft = await draftWithSnapshot(owner);
    expectError(await reader.patch(`/api/v1/invoices/${draft.id}`, { version: 1, buyerComments: 'x' }), 403, 'forbidden');
    expectError(await reader.post(`/api/v1/invoices/${draft.id}/finalize`), 403, 'forbidden');
    expectError(await reader.delete(`/api/v1/invoices/${draft.id}`), 403, 'forbidden');
    await draft.expectUnchanged();
    expect((await owner.get('/api/v1/settings')).body.nextNumber).toBe(1001);

    const open = await invoiceWithSnapshot(owner);
    expectError(await reader.post(`/api/v1/invoices/${open.id}/payments`, { amount: 100, method: 'cash' }), 403, 'forbidden');
    expectError(await reader.post(`/api/v1/invoices/${open.id}/void`, { reason: 'x' }), 403, 'forbidden');
    await open.expectUnchanged();
    // Reading is allowed.
    expect((await reader.get(`/api/v1/invoices/${open.id}`)).status).toBe(200);
  });

  it('refuses reads without the invoices:read scope with 403 forbidden', async () => {
    const portalId = newPortalId();
    const writer = t.as(portalId, ['invoices:write']);
    const owner = t.as(portalId);
    const draft = await draftWithSnapshot(owner);
    expectError(await writer.get('/api/v1/invoices'), 403, 'forbidden');
    expectError(await writer.get(`/api/v1/invoices/${draft.id}`), 403, 'forbidden');
  });
});

describe('unknown ids', () => {
  it('answers 404 not_found for ids that are not UUIDs, on every route', async () => {
    const api = t.as(newPortalId());
    for (const id of ['not-a-uuid', '123', '7d0c0000-0000-0000-0000-00000000000g', '7d0c0000-0000-0000-0000-0000000000001', "1' OR '1'='1"]) {
      const path = `/api/v1/invoices/${encodeURIComponent(id)}`;
      expectError(await api.get(path), 404, 'not_found');
      expectError(await api.patch(path, { version: 1, buyerComments: 'x' }), 404, 'not_found');
      expectError(await api.delete(path), 404, 'not_found');
      expectError(await api.post(`${path}/finalize`), 404, 'not_found');
      expectError(await api.post(`${path}/void`, { reason: 'x' }), 404, 'not_found');
      expectError(await api.post(`${path}/payments`, { amount: 1, method: 'cash' }), 404, 'not_found');
      expectError(await api.get(`${path}/events`), 404, 'not_found');
    }
    await expectNoInvoices(api);
  });

  it('answers 404 for a well-formed UUID that does not exist', async () => {
    const api = t.as(newPortalId());
    const id = '7d0c2f4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f';
    expectError(await api.get(`/api/v1/invoices/${id}`), 404, 'not_found');
    expectError(await api.patch(`/api/v1/invoices/${id}`, { version: 1 }), 404, 'not_found');
    expectError(await api.post(`/api/v1/invoices/${id}/finalize`), 404, 'not_found');
    expectError(await api.post(`/api/v1/invoices/${id}/payments`, { amount: 1, method: 'cash' }), 404, 'not_found');
    expect((await api.get('/api/v1/settings')).body.nextNumber).toBe(1001);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, and refuses the key with another body', async () => {
    const api = t.as(newPortalId());
    const first = await api.post('/api/v1/invoices', draftBody()).set('Idempotency-Key', 'create-1');
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const again = await api.post('/api/v1/invoices', draftBody()).set('Idempotency-Key', 'create-1');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);

    const other = await api.post('/api/v1/invoices', draftBody({ buyerComments: 'different' })).set('Idempotency-Key', 'create-1');
    expectError(other, 409, 'idempotency_key_reused', ['Idempotency-Key']);

    const list = await api.get('/api/v1/invoices');
    expect(list.body.data.map((i: { id: string }) => i.id)).toEqual([first.body.id]);
    // The replay appended nothing to the audit log either.
    expect((await api.get(`/api/v1/invoices/${first.body.id}/events`)).body.data).toHaveLength(1);
  });

  it('refuses the same key on another route with 409', async () => {
    const api = t.as(newPortalId());
    const created = await api.post('/api/v1/invoices', draftBody()).set('Idempotency-Key', 'k-1');
    const draft = await snapshotOf(api, created.body.id);
    expectError(await api.post(`/api/v1/invoices/${draft.id}/finalize`).set('Idempotency-Key', 'k-1'), 409, 'idempotency_key_reused');
    await draft.expectUnchanged();
  });

  it('keys are per portal: another portal may use the same key', async () => {
    const a = t.as(newPortalId());
    const b = t.as(newPortalId());
    const ra = await a.post('/api/v1/invoices', draftBody()).set('Idempotency-Key', 'shared-key');
    const rb = await b.post('/api/v1/invoices', draftBody()).set('Idempotency-Key', 'shared-key');
    expect(ra.status).toBe(201);
    expect(rb.status).toBe(201);
    expect(rb.headers['idempotent-replayed']).toBeUndefined();
    expect(rb.body.id).not.toBe(ra.body.id);
  });

  it('concurrent requests with one key create one invoice', async () => {
    const api = t.as(newPortalId());
    const responses = await Promise.all([1, 2, 3].map(() => api.post('/api/v1/invoices', draftBody()).set('Idempotency-Key', 'burst')));
    for (const r of responses) expect(r.status).toBe(201);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(2);
    expect((await api.get('/api/v1/invoices')).body.data).toHaveLength(1);
  });

  it('refuses a malformed key with 400 naming Idempotency-Key', async () => {
    const api = t.as(newPortalId());
    for (const key of ['k'.repeat(256), 'has space']) {
      expectError(await api.post('/api/v1/invoices', draftBody()).set('Idempotency-Key', key), 400, 'validation_failed', ['Idempotency-Key']);
    }
    await expectNoInvoices(api);
  });

  it('a replayed finalize returns the same number without taking another one', async () => {
    const api = t.as(newPortalId());
    const draft = (await api.post('/api/v1/invoices', draftBody())).body;
    const fin = await api.post(`/api/v1/invoices/${draft.id}/finalize`).set('Idempotency-Key', 'fin-1');
    expect(fin.status).toBe(200);
    expect(fin.body.number).toBe('INV-1001');
    const replay = await api.post(`/api/v1/invoices/${draft.id}/finalize`).set('Idempotency-Key', 'fin-1');
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(fin.body);
    expect((await api.get('/api/v1/settings')).body).toMatchObject({ nextNumber: 1002, nextInvoiceNumber: 'INV-1002' });
    const events = (await api.get(`/api/v1/invoices/${draft.id}/events`)).body.data.map((e: { type: string }) => e.type);
    expect(events).toEqual(['invoice.created', 'invoice.finalized']);
    const next = (await api.post('/api/v1/invoices', draftBody())).body;
    expect((await api.post(`/api/v1/invoices/${next.id}/finalize`)).body.number).toBe('INV-1002');
  });

  it('a replayed payment is recorded once', async () => {
    const api = t.as(newPortalId());
    const inv = await invoiceWithSnapshot(api);
    const body = { amount: 1000, method: 'bank_transfer', reference: 'TX-9' };
    const first = await api.post(`/api/v1/invoices/${inv.id}/payments`, body).set('Idempotency-Key', 'pay-1');
    const again = await api.post(`/api/v1/invoices/${inv.id}/payments`, body).set('Idempotency-Key', 'pay-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await api.get(`/api/v1/invoices/${inv.id}`)).body).toMatchObject({ amountPaid: 1000, balanceDue: 15335 });
  });
});
