/**
 * /api/v1/users: reading and changing a user's explicit grants, HubSpot user facts (cached with a
 * TTL, stale when HubSpot fails), unknown users and malformed bodies.
 */
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { USER_FACTS_TTL_MS } from '../src/app/user-permissions.js';
import { cardRequest, proxyQuery } from './fakes/hubspot-signing.js';
import { hubspotUsers, hubspotUsersDown } from './fakes/hubspot-users.js';
import { newPortalId } from './helpers/app.js';
import { installedPortal } from './helpers/hubspot-install.js';
import { useTestApp } from './helpers/use-test-app.js';

const START = '2026-11-28T12:00:00Z';
// Put back at START before every test.
const t = useTestApp({ clock: START, offline: true });
const { db, clock } = t;

const NONE = { view: false, edit: false, finalize: false, void: false, record_payment: false, export: false, settings: false };
const LEGACY = { view: true, edit: true, finalize: true, void: true, record_payment: true, export: true, settings: false };
const ALL = { view: true, edit: true, finalize: true, void: true, record_payment: true, export: true, settings: true };

const USERS = [
  { id: '1', superAdmin: true, createdAt: '2024-01-01T00:00:00Z' },
  { id: '42', createdAt: '2022-05-01T00:00:00Z' },
  { id: '43', createdAt: '2023-02-09T00:00:00Z' },
  // No owner record in HubSpot: creation date unknown.
  { id: '44', createdAt: null },
];

/** An installed portal; its HubSpot access token outlives the clock moves of these tests. */
async function portal(): Promise<number> {
  const portalId = newPortalId();
  await installedPortal(t.deps, portalId, { expiresInSeconds: 24 * 3600 });
  return portalId;
}

const card = (portalId: number, userId: string, method: 'GET' | 'PUT', path: string, body?: object) =>
  cardRequest(t.app, { method, path: `${path}?${proxyQuery(portalId, userId)}`, ...(body ? { body } : {}), timestamp: clock.now().getTime() });

describe('GET/PUT /api/v1/users/{userId}/permissions', () => {
  it('shows HubSpot facts, defaults, explicit grants and effective permissions; PUT replaces the grants', async () => {
    const portalId = await portal();
    hubspotUsers(USERS);
    const admin = t.as(portalId);
    const before = await admin.get('/api/v1/users/42/permissions');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ userId: '42', superAdmin: false, createdAt: '2022-05-01T00:00:00.000Z', defaults: LEGACY, explicit: {}, effective: LEGACY });

    const put = await admin.put('/api/v1/users/42/permissions', { explicit: { void: false, settings: true } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ ...before.body, explicit: { void: false, settings: true }, effective: { ...LEGACY, void: false, settings: true } });
    expect(await db('user_permissions').where({ portal_id: portalId, user_id: '42' }).orderBy('permission')).toMatchObject([
      { permission: 'settings', granted: true, updated_by: 'api_token:1' },
      { permission: 'void', granted: false, updated_by: 'api_token:1' },
    ]);

    // Replaces, not merges: void goes back to its default.
    const again = await admin.put('/api/v1/users/42/permissions', { explicit: { export: false } });
    expect(again.body.explicit).toEqual({ export: false });
    expect(again.body.effective).toEqual({ ...LEGACY, export: false });
    expect((await admin.put('/api/v1/users/42/permissions', { explicit: {} })).body.effective).toEqual(LEGACY);
  });

  it('gives super admins everything and users without a known creation date nothing', async () => {
    const portalId = await portal();
    hubspotUsers(USERS);
    const admin = t.as(portalId);
    expect((await admin.get('/api/v1/users/1/permissions')).body).toMatchObject({ superAdmin: true, defaults: ALL, effective: ALL });
    expect((await admin.get('/api/v1/users/43/permissions')).body).toMatchObject({ createdAt: '2023-02-09T00:00:00.000Z', defaults: NONE });
    expect((await admin.get('/api/v1/users/44/permissions')).body).toMatchObject({ createdAt: null, defaults: NONE });
  });

  it('applies a change to the card user at their next request', async () => {
    const portalId = await portal();
    hubspotUsers(USERS);
    expect((await card(portalId, '42', 'GET', '/api/v1/invoices')).status).toBe(200);
    expect((await card(portalId, '1', 'PUT', '/api/v1/users/42/permissions', { explicit: { view: false } })).status).toBe(200);
    const denied = await card(portalId, '42', 'GET', '/api/v1/invoices');
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'forbidden', message: 'This action needs the "view" permission' });
    // Granting a post-cut-over user view lets them in.
    expect((await card(portalId, '43', 'GET', '/api/v1/invoices')).status).toBe(403);
    expect((await card(portalId, '1', 'PUT', '/api/v1/users/43/permissions', { explicit: { view: true } })).status).toBe(200);
    const allowed = await card(portalId, '43', 'GET', '/api/v1/invoices');
    expect(allowed.status).toBe(200);
    expect(allowed.body.permissions).toEqual({ ...NONE, view: true });
  });

  it("lets a user read their own permissions, and only an admin anyone else's or change them", async () => {
    const portalId = await portal();
    hubspotUsers(USERS);
    const own = await card(portalId, '43', 'GET', '/api/v1/users/43/permissions');
    expect(own.status).toBe(200);
    expect(own.body.effective).toEqual(NONE);
    const other = await card(portalId, '42', 'GET', '/api/v1/users/43/permissions');
    expect(other.status).toBe(403);
    expect(other.body.error.details).toEqual([{ path: 'permission', message: 'missing settings' }]);
    expect((await card(portalId, '42', 'PUT', '/api/v1/users/42/permissions', { explicit: { settings: true } })).status).toBe(403);
    expect((await t.as(portalId, ['invoices:read', 'invoices:write']).put('/api/v1/users/42/permissions', { explicit: {} })).status).toBe(403);
    expect(await db('user_permissions').where({ portal_id: portalId })).toEqual([]);
  });

  it('answers 404 for a user HubSpot does not know, and stores nothing', async () => {
    const portalId = await portal();
    hubspotUsers(USERS);
    const admin = t.as(portalId);
    const get = await admin.get('/api/v1/users/999/permissions');
    expect(get.status).toBe(404);
    expect(get.body.error).toMatchObject({ code: 'not_found', message: 'User not found' });
    expect((await admin.put('/api/v1/users/999/permissions', { explicit: { view: true } })).status).toBe(404);
    expect(await db('user_permissions').where({ portal_id: portalId })).toEqual([]);
    expect(await db('hubspot_user_facts').where({ portal_id: portalId })).toEqual([]);
  });

  it.each([
    ['a user id that is not a HubSpot id', '/api/v1/users/abc/permissions', { explicit: {} }, 'userId'],
    ['an unknown permission', '/api/v1/users/42/permissions', { explicit: { approve: true } }, 'explicit.approve'],
    ['a permission that is not a boolean', '/api/v1/users/42/permissions', { explicit: { void: 'yes' } }, 'explicit.void'],
    ['null for a permission', '/api/v1/users/42/permissions', { explicit: { view: null } }, 'explicit.view'],
    ['no explicit object', '/api/v1/users/42/permissions', { view: true }, 'view'],
    ['explicit as an array', '/api/v1/users/42/permissions', { explicit: ['view'] }, 'explicit'],
  ])('refuses %s with 400 naming the field, changing nothing', async (_what, path, body, field) => {
    const portalId = await portal();
    hubspotUsers(USERS);
    const admin = t.as(portalId);
    expect((await admin.put('/api/v1/users/42/permissions', { explicit: { void: false } })).status).toBe(200);
    const res = await admin.put(path, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect((await admin.get('/api/v1/users/42/permissions')).body.explicit).toEqual({ void: false });
  });
});

describe('HubSpot user facts cache', () => {
  it('reads HubSpot once per TTL, serves stale facts when HubSpot fails, and 502s without any', async () => {
    const portalId = await portal();
    const fake = hubspotUsers(USERS);
    expect((await card(portalId, '42', 'GET', '/api/v1/invoices')).status).toBe(200);
    expect((await card(portalId, '42', 'GET', '/api/v1/invoices')).status).toBe(200);
    expect(fake.calls).toEqual(['GET /settings/users/2026-03/42', 'GET /crm/owners/2026-03/42?idProperty=userId']);

    // Past the TTL with HubSpot down: the stale facts keep the user working.
    nock.cleanAll();
    hubspotUsersDown();
    clock.set(new Date(Date.parse(START) + USER_FACTS_TTL_MS + 1000).toISOString());
    const stale = await card(portalId, '42', 'GET', '/api/v1/invoices');
    expect(stale.status).toBe(200);
    expect(stale.body.permissions).toEqual(LEGACY);

    // A user never seen, with HubSpot down: nothing to fall back on.
    const unknown = await card(portalId, '43', 'GET', '/api/v1/invoices');
    expect(unknown.status).toBe(502);
    expect(unknown.body.error.code).toBe('upstream_error');

    // HubSpot back: the facts are refreshed (here: the user became a super admin).
    nock.cleanAll();
    const again = hubspotUsers([{ id: '42', superAdmin: true, createdAt: '2022-05-01T00:00:00Z' }]);
    expect((await card(portalId, '42', 'GET', '/api/v1/invoices')).body.permissions).toEqual(ALL);
    expect(again.calls).toHaveLength(2);
    expect(await db('hubspot_user_facts').where({ portal_id: portalId, user_id: '42' }).first()).toMatchObject({ super_admin: true });
  });
});

describe('HubSpot user APIs on the wire', () => {
  it('retries a 503 once, and answers 502 (not 500) when HubSpot sends a body of the wrong shape', async () => {
    const portalId = await portal();
    nock('https://api.hubapi.com')
      .get('/settings/users/2026-03/42')
      .reply(503, { status: 'error', message: 'busy', correlationId: 'c1', category: 'INTERNAL_ERROR' })
      .get('/settings/users/2026-03/42')
      .reply(200, { id: '42', superAdmin: false })
      .get('/crm/owners/2026-03/42')
      .query({ idProperty: 'userId' })
      .reply(200, { id: '1042', userId: 42, createdAt: '2021-01-01T00:00:00Z' })
      .get('/settings/users/2026-03/43')
      .reply(200, { id: '43', superAdmin: false })
      .get('/crm/owners/2026-03/43')
      .query({ idProperty: 'userId' })
      .reply(200, { id: '1043', userId: 43, createdAt: 'yesterday' });
    const ok = await card(portalId, '42', 'GET', '/api/v1/invoices');
    expect(ok.status).toBe(200);
    expect(ok.body.permissions).toEqual(LEGACY);
    const bad = await card(portalId, '43', 'GET', '/api/v1/invoices');
    expect(bad.status).toBe(502);
    expect(bad.body.error.code).toBe('upstream_error');
    expect(nock.isDone()).toBe(true);
  });
});

describe('GET /api/v1/users', () => {
  it('lists the users with explicit grants, a page at a time', async () => {
    const portalId = await portal();
    hubspotUsers(USERS);
    const admin = t.as(portalId);
    for (const [id, explicit] of [
      ['43', { view: true }],
      ['1', { settings: false }],
      ['42', { void: false }],
    ] as const) {
      expect((await admin.put(`/api/v1/users/${id}/permissions`, { explicit })).status).toBe(200);
    }
    const first = await admin.get('/api/v1/users?limit=2');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      data: [
        { userId: '1', explicit: { settings: false }, effective: { ...ALL, settings: false } },
        { userId: '42', explicit: { void: false }, effective: { ...LEGACY, void: false } },
      ],
      nextCursor: '42',
    });
    const second = await admin.get(`/api/v1/users?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ data: [{ userId: '43', explicit: { view: true }, effective: { ...NONE, view: true } }], nextCursor: null });
    expect((await admin.get('/api/v1/users?limit=0')).status).toBe(400);
    expect((await t.as(portalId, ['invoices:read']).get('/api/v1/users')).status).toBe(403);
  });
});

describe('API tokens', () => {
  it('carry the permissions of their scopes in list responses', async () => {
    const portalId = newPortalId();
    const res = await t.as(portalId, ['invoices:read', 'exports']).get('/api/v1/invoices');
    expect(res.body.permissions).toEqual({ ...NONE, view: true, export: true });
    const denied = await t.as(portalId, ['invoices:read']).post(`/api/v1/invoices/00000000-0000-4000-8000-000000000000/finalize`);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('"finalize"');
  });
});
