/**
 * HubSpot's user APIs faked with nock, as the permission defaults read them:
 * Settings Users API `GET /settings/users/2026-03/{userId}` (superAdmin) and CRM Owners API
 * `GET /crm/owners/2026-03/{userId}?idProperty=userId` (createdAt). Unknown users answer 404 like HubSpot.
 */
import nock from 'nock';

export interface FakeUser {
  id: string;
  superAdmin?: boolean;
  /** ISO instant; null = the user has no owner record. */
  createdAt: string | null;
}

export const HUBSPOT_API = 'https://api.hubapi.com';

const notFound = (what: string) => ({
  status: 'error',
  message: `${what} not found`,
  correlationId: 'c0ffee00-0000-4000-8000-000000000404',
  category: 'OBJECT_NOT_FOUND',
});

/**
 * Answers user lookups for `users` (any number of times) until nock.cleanAll(). `calls` lists the
 * requests answered ("GET /path?query").
 */
export function hubspotUsers(users: FakeUser[], base = HUBSPOT_API) {
  const byId = new Map(users.map((u) => [u.id, u]));
  const calls: string[] = [];
  const scope = nock(base)
    .persist()
    .get(/^\/settings\/users\/2026-03\/[^/?]+$/)
    .reply((uri) => {
      calls.push(`GET ${uri}`);
      const u = byId.get(decodeURIComponent(uri.split('/').pop()!));
      return u
        ? [200, { id: u.id, email: `user${u.id}@example.com`, roleIds: [], superAdmin: u.superAdmin ?? false, secondaryTeamIds: [] }]
        : [404, notFound('user')];
    })
    .get(/^\/crm\/owners\/2026-03\/[^/?]+\?idProperty=userId$/)
    .reply((uri) => {
      calls.push(`GET ${uri}`);
      const id = decodeURIComponent(uri.split('/').pop()!.split('?')[0]!);
      const u = byId.get(id);
      if (!u || u.createdAt === null) return [404, notFound('owner')];
      return [
        200,
        {
          id: String(1000 + Number(id)),
          email: `user${id}@example.com`,
          type: 'PERSON',
          userId: Number(id),
          createdAt: u.createdAt,
          updatedAt: u.createdAt,
          archived: false,
        },
      ];
    });
  return { scope, calls };
}

/** HubSpot failing (503) on every user lookup until nock.cleanAll(). */
export function hubspotUsersDown(base = HUBSPOT_API) {
  return nock(base)
    .persist()
    .get(/^\/(settings\/users\/2026-03|crm\/owners\/2026-03)\//)
    .reply(503, { status: 'error', message: 'Service unavailable', correlationId: 'c0ffee00-0000-4000-8000-000000000503', category: 'INTERNAL_ERROR' });
}
