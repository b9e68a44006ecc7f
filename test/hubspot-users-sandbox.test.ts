/**
 * The HubSpot user facts adapter against the local emulator (settings users and owners APIs),
 * and the sandbox's seeded users as cards would act: 1 super admin, 2 legacy, 3 new.
 */
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, startCrmSandbox, type CrmSandbox } from '../tools/hubspot-sandbox/index.js';
import { HubSpotUsersAdapter } from '../src/integrations/hubspot/users-adapter.js';
import { cardRequest, proxyQuery } from './fakes/hubspot-signing.js';
import { appOnSandbox } from './helpers/crm-sandbox.js';
import { openTestDb } from './helpers/db.js';

const HUB = 5550001;
let sandbox: CrmSandbox;
let db: Knex;
let env: Awaited<ReturnType<typeof appOnSandbox>>;

beforeAll(async () => {
  sandbox = await startCrmSandbox({
    port: 0,
    clientId: 'sandbox-client',
    clientSecret: 'sandbox-client-secret',
    seed: [
      {
        hubId: HUB,
        records: [],
        associations: [],
        users: [
          { id: '1', email: 'a@x.example', superAdmin: true, createdAt: '2020-01-01T00:00:00.000Z' },
          { id: '2', email: 'b@x.example', superAdmin: false, createdAt: '2023-02-08T23:59:59.000Z' },
        ],
      },
    ],
  });
  db = await openTestDb();
  env = await appOnSandbox(db, { portalCount: 1 });
});
afterAll(async () => {
  await sandbox.close();
  await env.sandbox.close();
  await db.destroy();
});

const adapter = (token: string) =>
  new HubSpotUsersAdapter({ baseUrl: sandbox.url, accessToken: async () => token, logger: pino({ level: 'silent' }), sleep: async () => {} });

describe('HubSpotUsersAdapter on the sandbox', () => {
  it('reads superAdmin from the settings users API and createdAt from the owners API; null for an unknown user', async () => {
    const users = adapter(sandbox.store.issueTokens(HUB).accessToken);
    expect(await users.userFacts(HUB, '1')).toEqual({ superAdmin: true, createdAt: new Date('2020-01-01T00:00:00.000Z') });
    expect(await users.userFacts(HUB, '2')).toEqual({ superAdmin: false, createdAt: new Date('2023-02-08T23:59:59.000Z') });
    expect(await users.userFacts(HUB, '77')).toBeNull();
  });

  it('needs settings.users.read: without it the app must be reconnected', async () => {
    const users = adapter(
      sandbox.store.issueTokens(
        HUB,
        ALL_SCOPES.filter((s) => s !== 'settings.users.read'),
      ).accessToken,
    );
    await expect(users.userFacts(HUB, '1')).rejects.toMatchObject({ code: 'hubspot_reauth_required' });
  });
});

describe("the sandbox portal's seeded users as card users", () => {
  it('gives user 1 (super admin) everything, user 2 (legacy) view and edit, user 3 (new) nothing', async () => {
    const portalId = env.nextPortal();
    const list = (userId: string) => cardRequest(env.app, { method: 'GET', path: `/api/v1/invoices?${proxyQuery(portalId, userId)}`, timestamp: Date.now() });
    expect((await list('1')).body.permissions).toEqual({
      view: true,
      edit: true,
      finalize: true,
      void: true,
      record_payment: true,
      export: true,
      settings: true,
    });
    expect((await list('2')).body.permissions).toMatchObject({ view: true, edit: true, settings: false });
    const denied = await list('3');
    expect(denied.status).toBe(403);
    expect(denied.body.error.details).toEqual([{ path: 'permission', message: 'missing view' }]);
    const unknown = await cardRequest(env.app, { method: 'GET', path: `/api/v1/users/9999/permissions?${proxyQuery(portalId, '1')}`, timestamp: Date.now() });
    expect(unknown.status).toBe(404);
  });
});
