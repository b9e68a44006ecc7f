/**
 * The permission matrix: every /api/v1 endpoint x every kind of HubSpot user, as cards call them
 * (v3-signed requests, user facts from HubSpot's users and owners APIs faked with nock). Allowed
 * means the endpoint's normal answer; denied means 403 `forbidden` naming the missing permission.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Permission } from '../src/domain/permissions.js';
import { cardRequest, proxyQuery } from './fakes/hubspot-signing.js';
import { hubspotUsers } from './fakes/hubspot-users.js';
import { newPortalId } from './helpers/app.js';
import { draftBody } from './helpers/factories.js';
import { installedPortal } from './helpers/hubspot-install.js';
import { useTestApp } from './helpers/use-test-app.js';
import { invoiceIn } from './helpers/invoices.js';

type Persona = 'superAdmin' | 'beforeCutoff' | 'fromCutoff' | 'granted' | 'revoked';

/** HubSpot user id, HubSpot facts and the explicit grants an admin set for each persona. */
const PERSONAS: Record<Persona, { userId: string; superAdmin: boolean; createdAt: string; explicit?: Partial<Record<Permission, boolean>> }> = {
  // A super admin created after the cut-over still has everything.
  superAdmin: { userId: '11', superAdmin: true, createdAt: '2024-06-01T00:00:00Z' },
  // The last second before HubSpot's cut-over: view + edit (and the actions following edit).
  beforeCutoff: { userId: '12', superAdmin: false, createdAt: '2023-02-08T23:59:59Z' },
  // The cut-over instant itself: no invoice access by default.
  fromCutoff: { userId: '13', superAdmin: false, createdAt: '2023-02-09T00:00:00Z' },
  // A new user an admin granted view, record_payment and export (nothing else).
  granted: { userId: '14', superAdmin: false, createdAt: '2023-02-09T00:00:00Z', explicit: { view: true, record_payment: true, export: true } },
  // A legacy user an admin revoked everything from.
  revoked: {
    userId: '15',
    superAdmin: false,
    createdAt: '2022-01-01T00:00:00Z',
    explicit: { view: false, edit: false, finalize: false, void: false, record_payment: false, export: false },
  },
};

/** What each persona may do. */
const ALLOWED: Record<Persona, Permission[]> = {
  superAdmin: ['view', 'edit', 'finalize', 'void', 'record_payment', 'export', 'settings'],
  beforeCutoff: ['view', 'edit', 'finalize', 'void', 'record_payment', 'export'],
  fromCutoff: [],
  granted: ['view', 'record_payment', 'export'],
  revoked: [],
};

interface Fixture {
  invoiceId: string;
  viewId: string;
}

interface Endpoint {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: (f: Fixture, self: string) => string;
  body?: object;
  /** null = open to every user (their own permissions). */
  needs: Permission | null;
  /** The status an allowed caller gets. */
  ok: number;
  /** Run against a finalized invoice rather than a draft. */
  finalized?: boolean;
}

const ENDPOINTS: Endpoint[] = [
  { name: 'list invoices', method: 'GET', path: () => '/api/v1/invoices', needs: 'view', ok: 200 },
  { name: 'create invoice', method: 'POST', path: () => '/api/v1/invoices', body: draftBody(), needs: 'edit', ok: 201 },
  { name: 'get invoice', method: 'GET', path: (f) => `/api/v1/invoices/${f.invoiceId}`, needs: 'view', ok: 200 },
  { name: 'edit draft', method: 'PATCH', path: (f) => `/api/v1/invoices/${f.invoiceId}`, body: { version: 1, paymentTerms: 'net_15' }, needs: 'edit', ok: 200 },
  { name: 'delete draft', method: 'DELETE', path: (f) => `/api/v1/invoices/${f.invoiceId}`, needs: 'edit', ok: 204 },
  { name: 'resync draft', method: 'POST', path: (f) => `/api/v1/invoices/${f.invoiceId}/resync`, needs: 'edit', ok: 422 },
  { name: 'finalize', method: 'POST', path: (f) => `/api/v1/invoices/${f.invoiceId}/finalize`, needs: 'finalize', ok: 200 },
  { name: 'void', method: 'POST', path: (f) => `/api/v1/invoices/${f.invoiceId}/void`, body: { reason: 'x' }, needs: 'void', ok: 200, finalized: true },
  {
    name: 'record payment',
    method: 'POST',
    path: (f) => `/api/v1/invoices/${f.invoiceId}/payments`,
    body: { amount: 100, method: 'cash' },
    needs: 'record_payment',
    ok: 201,
    finalized: true,
  },
  { name: 'audit events', method: 'GET', path: (f) => `/api/v1/invoices/${f.invoiceId}/events`, needs: 'view', ok: 200 },
  { name: 'record invoices', method: 'GET', path: () => '/api/v1/records/deals/9001/invoices', needs: 'view', ok: 200 },
  // The CRM is unreachable in this test: an allowed caller gets past the check to the 502.
  { name: 'deal quotes', method: 'GET', path: () => '/api/v1/records/deals/9001/quotes', needs: 'view', ok: 502 },
  { name: 'record line items', method: 'GET', path: () => '/api/v1/records/deals/9001/line-items', needs: 'view', ok: 502 },
  { name: 'list views', method: 'GET', path: () => '/api/v1/views', needs: 'view', ok: 200 },
  { name: 'save view', method: 'POST', path: () => '/api/v1/views', body: { name: 'Open', filters: { view: 'open' } }, needs: 'view', ok: 201 },
  { name: 'delete view', method: 'DELETE', path: (f) => `/api/v1/views/${f.viewId}`, needs: 'view', ok: 204 },
  { name: 'aging report', method: 'GET', path: () => '/api/v1/reports/aging', needs: 'view', ok: 200 },
  ...(['csv', 'xero-csv', 'qbo-csv', 'qbd-iif', 'json'] as const).map((format): Endpoint => ({
    name: `export ${format}`,
    method: 'GET',
    path: () => `/api/v1/exports/${format}`,
    needs: 'export',
    ok: 200,
  })),
  { name: 'export batches', method: 'GET', path: () => '/api/v1/exports/batches', needs: 'export', ok: 200 },
  { name: 'export link', method: 'POST', path: () => '/api/v1/exports/links', body: { format: 'csv' }, needs: 'export', ok: 200 },
  { name: 'read settings', method: 'GET', path: () => '/api/v1/settings', needs: 'view', ok: 200 },
  { name: 'change settings', method: 'PUT', path: () => '/api/v1/settings', body: { numberPrefix: 'NEW' }, needs: 'settings', ok: 200 },
  { name: 'list users with grants', method: 'GET', path: () => '/api/v1/users', needs: 'settings', ok: 200 },
  { name: "read another user's permissions", method: 'GET', path: () => '/api/v1/users/11/permissions', needs: 'settings', ok: 200 },
  { name: 'read own permissions', method: 'GET', path: (_f, self) => `/api/v1/users/${self}/permissions`, needs: null, ok: 200 },
  { name: 'list invoice domains', method: 'GET', path: () => '/api/v1/settings/domains', needs: 'view', ok: 200 },
  // An allowed caller gets past the check to the 404 of a domain the portal does not list.
  { name: 'verify invoice domain', method: 'POST', path: () => '/api/v1/settings/domains/unlisted.example.com/verify', needs: 'settings', ok: 404 },
  { name: 'delete invoice domain', method: 'DELETE', path: () => '/api/v1/settings/domains/unlisted.example.com', needs: 'settings', ok: 404 },
  { name: 'list webhook endpoints', method: 'GET', path: () => '/api/v1/webhook-endpoints', needs: 'settings', ok: 200 },
  // A public name: workers of other test files deliver only their own portals' deliveries.
  {
    name: 'add webhook endpoint',
    method: 'POST',
    path: () => '/api/v1/webhook-endpoints',
    body: { url: 'https://hooks.example.com/invoices' },
    needs: 'settings',
    ok: 201,
  },
  // An allowed caller gets past the check to the 404 of an endpoint that does not exist.
  {
    name: 'webhook deliveries',
    method: 'GET',
    path: () => '/api/v1/webhook-endpoints/00000000-0000-4000-8000-000000000000/deliveries',
    needs: 'settings',
    ok: 404,
  },
  { name: 'stripe connection state', method: 'GET', path: () => '/api/v1/stripe/connection', needs: 'settings', ok: 200 },
  // No Stripe keys in this test: an allowed caller gets past the check to stripe_unavailable.
  { name: 'stripe connect', method: 'POST', path: () => '/api/v1/stripe/connect', needs: 'settings', ok: 422 },
  { name: 'stripe disconnect', method: 'DELETE', path: () => '/api/v1/stripe/connection', needs: 'settings', ok: 422 },
  // User 16 is no persona: granting them something changes no other row's outcome.
  { name: 'change permissions', method: 'PUT', path: () => '/api/v1/users/16/permissions', body: { explicit: { view: true } }, needs: 'settings', ok: 200 },
];

const fakeUsers = () =>
  hubspotUsers([
    ...Object.values(PERSONAS).map((p) => ({ id: p.userId, superAdmin: p.superAdmin, createdAt: p.createdAt })),
    { id: '16', createdAt: '2025-01-01T00:00:00Z' },
  ]);

const t = useTestApp({ clock: '2026-11-28T12:00:00Z', offline: true });
const { clock } = t;
let portalId: number;

beforeAll(async () => {
  portalId = newPortalId();
  await installedPortal(t.deps, portalId);
  fakeUsers();
  const admin = t.as(portalId);
  for (const p of Object.values(PERSONAS)) {
    if (p.explicit) expect((await admin.put(`/api/v1/users/${p.userId}/permissions`, { explicit: p.explicit })).status).toBe(200);
  }
}, 30_000);

/**
 * A fresh draft (or finalized invoice), made with an all-scopes API token (not under test here),
 * and a saved view of `userId` (views are private to their user).
 */
async function fixture(userId: string, finalized = false): Promise<Fixture> {
  const api = t.as(portalId);
  const inv = await invoiceIn(api, finalized ? 'open' : 'draft');
  const view = await t.as(portalId, undefined, userId).post('/api/v1/views', { name: `v-${inv.id}`, filters: {} });
  expect(view.status).toBe(201);
  return { invoiceId: inv.id, viewId: view.body.id };
}

function asCard(persona: Persona, e: Endpoint, f: Fixture) {
  const { userId } = PERSONAS[persona];
  const path = e.path(f, userId);
  return cardRequest(t.app, {
    method: e.method,
    path: `${path}${path.includes('?') ? '&' : '?'}${proxyQuery(portalId, userId)}`,
    ...(e.body ? { body: e.body } : {}),
    timestamp: clock.now().getTime(),
  });
}

const rows = (Object.keys(PERSONAS) as Persona[]).flatMap((persona) => ENDPOINTS.map((e) => ({ persona, e })));

describe('permission matrix: every endpoint x every kind of user', () => {
  it.each(rows.map((r) => [r.persona, r.e.name, r] as const))('%s: %s', async (persona, _name, { e }) => {
    fakeUsers();
    const f = await fixture(PERSONAS[persona].userId, e.finalized);
    const res = await asCard(persona, e, f);
    const allowed = e.needs === null || ALLOWED[persona].includes(e.needs);
    if (allowed) {
      expect(res.status, JSON.stringify(res.body)).toBe(e.ok);
    } else {
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({
        code: 'forbidden',
        message: expect.stringContaining(`"${e.needs}"`),
        details: [{ path: 'permission', message: `missing ${e.needs}` }],
      });
    }
  });

  it("lists carry the caller's effective permissions", async () => {
    fakeUsers();
    const f = await fixture('14');
    const granted = await asCard('granted', ENDPOINTS[0]!, f);
    expect(granted.body.permissions).toEqual({ view: true, edit: false, finalize: false, void: false, record_payment: true, export: true, settings: false });
    const records = await asCard(
      'beforeCutoff',
      ENDPOINTS.find((e) => e.name === 'record invoices')!,
      f,
    );
    expect(records.body.permissions).toEqual({ view: true, edit: true, finalize: true, void: true, record_payment: true, export: true, settings: false });
  });
});
