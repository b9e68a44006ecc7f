/**
 * The response schemas (src/http/<resource>/response.ts) against real answers: every schema is a
 * strict object, so a field the service adds, drops or renames without its schema fails here.
 * The presenters are typed by the same schemas, and the OpenAPI document is generated from them.
 */
import type { Knex } from 'knex';
import nock from 'nock';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agingReportResponse,
  exportBatchPageResponse,
  exportBatchResponse,
  exportLinkResponse,
  savedViewListResponse,
  savedViewResponse,
} from '../src/http/finance/response.js';
import { invoiceEventPageResponse, invoicePageResponse, invoiceResponse } from '../src/http/invoices/response.js';
import { quoteListResponse, recordLineItemsResponse } from '../src/http/records/response.js';
import { errorResponse } from '../src/http/response-parts.js';
import { settingsResponse } from '../src/http/settings/response.js';
import { stripeConnectionResponse } from '../src/http/stripe/response.js';
import { userGrantsPageResponse, userPermissionsResponse } from '../src/http/users/response.js';
import { createdWebhookEndpointResponse, webhookDeliveryPageResponse, webhookEndpointListResponse } from '../src/http/webhook-endpoints/response.js';
import { hubspotUsers } from './fakes/hubspot-users.js';
import { newPortalId, testApp } from './helpers/app.js';
import { openTestDb } from './helpers/db.js';
import { draftBody } from './helpers/factories.js';
import { installedPortal } from './helpers/hubspot-install.js';

let db: Knex;
let t: ReturnType<typeof testApp>;

beforeAll(async () => {
  db = await openTestDb();
  t = testApp(db);
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await db.destroy();
});

/** Asserts the status, then parses the body with `schema` (strict: unknown or missing fields fail). */
function expectBody<T extends z.ZodType>(res: { status: number; body: unknown }, status: number, schema: T): z.infer<T> {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const parsed = schema.safeParse(res.body);
  if (!parsed.success) throw new Error(`the answer does not match its schema: ${JSON.stringify(parsed.error.issues)}\n${JSON.stringify(res.body)}`);
  return parsed.data;
}

describe('answers match their response schemas', () => {
  it('invoices: create, get, edit, list, finalize, pay, void, events', async () => {
    const api = t.as(newPortalId());
    const draft = expectBody(await api.post('/api/v1/invoices', draftBody()), 201, invoiceResponse);
    expect(draft.hostedUrl).toBeNull();
    expectBody(await api.get(`/api/v1/invoices/${draft.id}`), 200, invoiceResponse);
    const edited = expectBody(await api.patch(`/api/v1/invoices/${draft.id}`, { version: draft.version, buyerComments: 'Thanks' }), 200, invoiceResponse);
    const open = expectBody(await api.post(`/api/v1/invoices/${edited.id}/finalize`), 200, invoiceResponse);
    expect(open.number).not.toBeNull();
    expectBody(await api.post(`/api/v1/invoices/${open.id}/payments`, { amount: 100, method: 'bank_transfer', reference: 'T-1' }), 201, invoiceResponse);
    const other = expectBody(await api.post('/api/v1/invoices', draftBody()), 201, invoiceResponse);
    await api.post(`/api/v1/invoices/${other.id}/finalize`);
    expect(expectBody(await api.post(`/api/v1/invoices/${other.id}/void`, { reason: 'duplicate' }), 200, invoiceResponse).status).toBe('void');
    const page = expectBody(await api.get('/api/v1/invoices?limit=1'), 200, invoicePageResponse);
    expect(page.nextCursor).not.toBeNull();
    expectBody(await api.get('/api/v1/records/contacts/101/invoices'), 200, invoicePageResponse);
    const events = expectBody(await api.get(`/api/v1/invoices/${open.id}/events`), 200, invoiceEventPageResponse);
    expect(events.data.length).toBeGreaterThan(1);
  });

  it('settings, views, aging and exports', async () => {
    const api = t.as(newPortalId());
    expectBody(await api.get('/api/v1/settings'), 200, settingsResponse);
    expectBody(await api.put('/api/v1/settings', { numberPrefix: 'ACME', brand: { name: 'Acme', address: { city: 'Utrecht' } } }), 200, settingsResponse);
    const inv = expectBody(await api.post('/api/v1/invoices', draftBody()), 201, invoiceResponse);
    await api.post(`/api/v1/invoices/${inv.id}/finalize`);
    expectBody(await api.post('/api/v1/views', { name: 'Overdue EUR', filters: { view: 'overdue', currency: 'EUR' } }), 201, savedViewResponse);
    expectBody(await api.get('/api/v1/views'), 200, savedViewListResponse);
    expect(expectBody(await api.get('/api/v1/reports/aging?asOf=2027-03-01'), 200, agingReportResponse).data.length).toBe(1);
    const file = await api.get('/api/v1/exports/csv');
    expect(file.status).toBe(200);
    const batches = expectBody(await api.get('/api/v1/exports/batches'), 200, exportBatchPageResponse);
    expectBody(await api.get(`/api/v1/exports/batches/${batches.data[0]!.id}`), 200, exportBatchResponse);
    expectBody(await api.post('/api/v1/exports/links', { format: 'xero-csv' }), 200, exportLinkResponse);
  });

  it('webhook endpoints and their deliveries', async () => {
    const api = t.as(newPortalId());
    const endpoint = expectBody(
      await api.post('/api/v1/webhook-endpoints', { url: 'https://hooks.example.com/invoices' }),
      201,
      createdWebhookEndpointResponse,
    );
    expect(endpoint.secret).toMatch(/^whsec_/);
    expectBody(await api.get('/api/v1/webhook-endpoints'), 200, webhookEndpointListResponse);
    const inv = expectBody(await api.post('/api/v1/invoices', draftBody()), 201, invoiceResponse);
    await api.post(`/api/v1/invoices/${inv.id}/finalize`);
    const deliveries = expectBody(await api.get(`/api/v1/webhook-endpoints/${endpoint.id}/deliveries`), 200, webhookDeliveryPageResponse);
    expect(deliveries.data.length).toBe(1);
  });

  it('users and the Stripe connection', async () => {
    const portalId = newPortalId();
    await installedPortal(t.deps, portalId, { expiresInSeconds: 24 * 3600 });
    hubspotUsers([
      { id: '1', superAdmin: true, createdAt: '2024-01-01T00:00:00Z' },
      { id: '42', createdAt: '2022-05-01T00:00:00Z' },
    ]);
    const api = t.as(portalId);
    expectBody(await api.put('/api/v1/users/42/permissions', { explicit: { export: false } }), 200, userPermissionsResponse);
    expectBody(await api.get('/api/v1/users/42/permissions'), 200, userPermissionsResponse);
    expectBody(await api.get('/api/v1/users'), 200, userGrantsPageResponse);
    expectBody(await api.get('/api/v1/stripe/connection'), 200, stripeConnectionResponse);
  });

  it("records: a deal's line items and quotes", async () => {
    const line = {
      id: '9001',
      name: 'Setup',
      description: '',
      sku: 'SET-1',
      quantity: '2',
      price: '150.5',
      discountPercent: '10',
      discountAmount: null,
      taxRate: '21',
      productId: '77',
      currency: 'USD',
    };
    // Only the two reads these routes make; everything else is as unreachable as in the other tests.
    const crm: typeof t.deps.crm = Object.assign(Object.create(t.deps.crm), {
      readDeal: async () => ({ deal: { id: '301', name: 'Deal', currency: 'USD' }, lineItems: [line], contacts: [], companies: [] }),
      listDealQuotes: async () => [{ id: '7001', title: 'Q-7001', status: 'APPROVED', locked: true, currency: 'USD' }],
    });
    const api = testApp(db, { crm }).as(newPortalId());
    const lines = expectBody(await api.get('/api/v1/records/deals/301/line-items'), 200, recordLineItemsResponse);
    expect(lines.data).toHaveLength(1);
    expect(expectBody(await api.get('/api/v1/records/deals/301/quotes'), 200, quoteListResponse).data[0]!.convertible).toBe(true);
  });

  it('errors: unknown route, invalid body, version conflict, broken rule', async () => {
    const api = t.as(newPortalId());
    expectBody(await api.get('/api/v1/nope'), 404, errorResponse);
    const invalid = expectBody(await api.post('/api/v1/invoices', { lineItems: [{ name: '' }] }), 400, errorResponse);
    expect(invalid.error.details.length).toBeGreaterThan(0);
    const draft = expectBody(await api.post('/api/v1/invoices', draftBody()), 201, invoiceResponse);
    expectBody(await api.patch(`/api/v1/invoices/${draft.id}`, { version: draft.version + 5, buyerComments: 'x' }), 409, errorResponse);
    expectBody(await api.post(`/api/v1/invoices/${draft.id}/void`, {}), 422, errorResponse);
    expectBody(await t.as(newPortalId(), ['invoices:read']).put('/api/v1/settings', {}), 403, errorResponse);
  });
});
