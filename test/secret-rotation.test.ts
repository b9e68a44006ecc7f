import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccessToken, openRefreshToken } from '../src/app/portal-token-seal.js';
import { resealSecrets } from '../src/app/reseal-secrets.js';
import { createSecretBox } from '../src/app/secret-box.js';
import nock from 'nock';
import { HUBSPOT_LIVE_ENV, HUBSPOT_TEST_API } from './fakes/hubspot-oauth.js';
import { hubspotUsers } from './fakes/hubspot-users.js';
import { cardRequest, proxyQuery } from './fakes/hubspot-signing.js';
import { fixedClock, newPortalId, testApp } from './helpers/app.js';
import { openTestDb } from './helpers/db.js';
import { installedPortal } from './helpers/hubspot-install.js';

let db: Knex;
const clock = fixedClock('2026-11-28T12:00:00Z');
beforeAll(async () => {
  db = await openTestDb();
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await db.destroy();
});

const OLD_KEY = Buffer.alloc(32, 7).toString('base64'); // testApp's TOKEN_ENCRYPTION_KEY
const NEW_KEY = randomBytes(32).toString('base64');

describe('rotating TOKEN_ENCRYPTION_KEY', () => {
  it('opens values sealed under a previous key, reseals them under the new one, and reports what opens under none', async () => {
    const t = testApp(db, { clock: clock.now });
    const portalId = newPortalId();
    await installedPortal(t.deps, portalId, { accessToken: 'at-rotate', refreshToken: 'rt-rotate' });
    const stranger = newPortalId();
    await installedPortal(testApp(db, { clock: clock.now, env: { TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') } }).deps, stranger);
    const row = () => db('portals').where({ id: portalId }).first();
    const before = await row();

    // Step 1: the new key seals, the old one still opens.
    const rotating = createSecretBox(NEW_KEY, [OLD_KEY]);
    expect(openAccessToken(rotating, portalId, before.access_token_enc)).toBe('at-rotate');
    expect(() => openAccessToken(createSecretBox(NEW_KEY), portalId, before.access_token_enc)).toThrow(/another key/);

    // Step 2: reseal, limited to this test's portals (other tests share the table).
    const reports = await resealSecrets(db, rotating, { portalIds: [portalId, stranger] });
    const accessReport = reports.find((r) => r.column === 'access_token_enc')!;
    expect(accessReport.resealed).toBeGreaterThanOrEqual(1);
    expect(accessReport.unreadable).toContain(String(stranger));

    // Step 3: the old key can go.
    const after = await row();
    expect(after.access_token_enc).not.toBe(before.access_token_enc);
    const newOnly = createSecretBox(NEW_KEY);
    expect(openAccessToken(newOnly, portalId, after.access_token_enc)).toBe('at-rotate');
    expect(openRefreshToken(newOnly, portalId, after.refresh_token_enc)).toBe('rt-rotate');
    expect(() => openAccessToken(createSecretBox(OLD_KEY), portalId, after.access_token_enc)).toThrow();
  });

  it('refuses a malformed previous key at startup', () => {
    expect(() => testApp(db, { env: { TOKEN_ENCRYPTION_KEY_PREVIOUS: 'short' } })).toThrow(/TOKEN_ENCRYPTION_KEY_PREVIOUS/);
  });
});

describe('rotating the HubSpot client secret', () => {
  const NEW_SECRET = 'new-client-secret';
  const signed = (t: ReturnType<typeof testApp>, portalId: number, secret: string) =>
    cardRequest(t.app, { method: 'GET', path: `/api/v1/invoices?${proxyQuery(portalId)}`, timestamp: clock.now().getTime(), secret });

  it('accepts signatures made with the previous secret while HUBSPOT_CLIENT_SECRET_PREVIOUS names it, and only then', async () => {
    const rotating = testApp(db, {
      clock: clock.now,
      env: { ...HUBSPOT_LIVE_ENV, HUBSPOT_CLIENT_SECRET: NEW_SECRET, HUBSPOT_CLIENT_SECRET_PREVIOUS: HUBSPOT_LIVE_ENV.HUBSPOT_CLIENT_SECRET },
    });
    const portalId = newPortalId();
    await installedPortal(rotating.deps, portalId);
    // The card's user (42) as HubSpot describes it: created before the 2023 cut-off.
    hubspotUsers([{ id: '42', createdAt: '2022-05-01T00:00:00Z' }], HUBSPOT_TEST_API);
    expect((await signed(rotating, portalId, NEW_SECRET)).status).toBe(200);
    expect((await signed(rotating, portalId, HUBSPOT_LIVE_ENV.HUBSPOT_CLIENT_SECRET)).status).toBe(200);
    expect((await signed(rotating, portalId, 'some-other-secret')).status).toBe(401);

    const rotated = testApp(db, { clock: clock.now, env: { ...HUBSPOT_LIVE_ENV, HUBSPOT_CLIENT_SECRET: NEW_SECRET } });
    expect((await signed(rotated, portalId, NEW_SECRET)).status).toBe(200);
    expect((await signed(rotated, portalId, HUBSPOT_LIVE_ENV.HUBSPOT_CLIENT_SECRET)).status).toBe(401);
  });
});
