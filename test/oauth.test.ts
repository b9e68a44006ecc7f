import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createHubSpotTokenProvider } from '../src/app/hubspot-access-token.js';
import { issueOAuthState } from '../src/app/oauth-state.js';
import { createSecretBox } from '../src/app/secret-box.js';
import { uninstallPortal } from '../src/app/uninstall-portal.js';
import { createHubSpotOAuthClient } from '../src/integrations/hubspot/oauth-client.js';
import { HUBSPOT_LIVE_ENV, HUBSPOT_TEST_API, hubspotOAuth, TEST_REDIRECT_URL, type TokenInfoSpec } from './fakes/hubspot-oauth.js';
import { cardRequest, proxyQuery } from './fakes/hubspot-signing.js';
import { hubspotUsers } from './fakes/hubspot-users.js';
import { newPortalId } from './helpers/app.js';
import { useTestApp } from './helpers/use-test-app.js';

const START = '2026-11-28T12:00:00.000Z';
const MINUTE = 60_000;
const appJson = JSON.parse(readFileSync(new URL('../app.json', import.meta.url), 'utf8')) as {
  config: { auth: { requiredScopes: string[]; optionalScopes: string[] } };
};

// The clock is put back at START before every test.
const t = useTestApp({ clock: START, env: HUBSPOT_LIVE_ENV, offline: true });
const { db, clock } = t;
const at = (msFromStart: number) => clock.set(new Date(Date.parse(START) + msFromStart).toISOString());

afterEach(() => {
  const pending = nock.pendingMocks();
  const done = nock.isDone();
  nock.cleanAll();
  expect(pending).toEqual([]);
  expect(done).toBe(true);
});

const box = () => createSecretBox(t.deps.config.tokenEncryptionKey);
/** A token provider as another process would build it: same database, its own memory. */
const provider = () => createHubSpotTokenProvider({ ...t.deps, oauth: createHubSpotOAuthClient(t.deps.config.hubspot) });
const portalRow = (id: number) => db('portals').where({ id }).first();

async function startInstall(): Promise<{ location: URL; state: string }> {
  const res = await supertest(t.app).get('/oauth/install');
  expect(res.status).toBe(302);
  const location = new URL(res.headers.location as string);
  return { location, state: location.searchParams.get('state')! };
}

const callback = (code: string, state: string) => supertest(t.app).get(`/oauth/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`);

/** The whole install flow for `portalId`, HubSpot faked. */
async function install(portalId: number, tokens: { accessToken: string; refreshToken: string }, info: Partial<TokenInfoSpec> = {}) {
  const { state } = await startInstall();
  const code = `code-${randomUUID()}`;
  hubspotOAuth.grantsCode(code, tokens);
  hubspotOAuth.describesToken(tokens.accessToken, { hubId: portalId, ...info });
  const res = await callback(code, state);
  expect(res.status).toBe(200);
  return res;
}

describe('GET /oauth/install', () => {
  it('redirects to HubSpot with the app.json scopes and a fresh signed, expiring state', async () => {
    const res = await supertest(t.app).get('/oauth/install');
    expect(res.status).toBe(302);
    expect(res.headers['cache-control']).toBe('no-store');
    const location = new URL(res.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe('https://app.hubspot.com/oauth/authorize');
    expect(location.searchParams.get('client_id')).toBe('test-client-id');
    expect(location.searchParams.get('redirect_uri')).toBe(TEST_REDIRECT_URL);
    expect(location.searchParams.get('scope')).toBe(appJson.config.auth.requiredScopes.join(' '));
    expect(res.headers.location).toContain(`scope=${appJson.config.auth.requiredScopes.map(encodeURIComponent).join('%20')}&`);
    if (appJson.config.auth.optionalScopes.length === 0) expect(location.searchParams.has('optional_scope')).toBe(false);
    else expect(location.searchParams.get('optional_scope')).toBe(appJson.config.auth.optionalScopes.join(' '));

    const state = location.searchParams.get('state')!;
    expect(state).toMatch(/^[\w-]{24}\.\d+\.[\w-]{43}$/);
    const row = await db('oauth_states')
      .where({ id: state.split('.')[0] })
      .first();
    expect(row.used_at).toBeNull();
    expect(new Date(row.expires_at).toISOString()).toBe(new Date(Date.parse(START) + 10 * MINUTE).toISOString());
    expect((await startInstall()).state).not.toBe(state);
  });
});

describe('GET /oauth/callback', () => {
  it('installs: trades the code, stores the portal and its sealed tokens, shows a page', async () => {
    const portalId = newPortalId();
    const res = await install(
      portalId,
      { accessToken: `at-${portalId}`, refreshToken: `rt-${portalId}` },
      { userId: 7001, hubDomain: 'acme.example.com', scopes: ['oauth', 'crm.objects.deals.read'] },
    );
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.text).toContain('installed in your HubSpot account');
    expect(res.text).toContain(`acme.example.com (${portalId})`);

    const row = await portalRow(portalId);
    expect(row).toMatchObject({
      status: 'active',
      hub_domain: 'acme.example.com',
      scopes: ['oauth', 'crm.objects.deals.read'],
      installed_by_user_id: '7001',
      uninstalled_at: null,
    });
    expect(new Date(row.installed_at).toISOString()).toBe(START);
    expect(new Date(row.access_token_expires_at).toISOString()).toBe(new Date(Date.parse(START) + 30 * MINUTE).toISOString());
    expect(await db('portal_settings').where({ portal_id: portalId }).first()).toMatchObject({ number_prefix: 'INV' });

    // The card's user (42) is looked up in HubSpot for the permission defaults.
    hubspotUsers([{ id: '42', createdAt: '2022-05-01T00:00:00Z' }], HUBSPOT_TEST_API);
    const card = await cardRequest(t.app, {
      method: 'GET',
      path: `/api/v1/invoices?${proxyQuery(portalId)}`,
      timestamp: clock.now().getTime(),
      secret: HUBSPOT_LIVE_ENV.HUBSPOT_CLIENT_SECRET,
    });
    expect(card.status).toBe(200);
  });

  it('keeps tokens encrypted at rest, bound to their portal and column', async () => {
    const portalId = newPortalId();
    const accessToken = `at-secret-${randomUUID()}`;
    const refreshToken = `rt-secret-${randomUUID()}`;
    await install(portalId, { accessToken, refreshToken });
    const row = await portalRow(portalId);
    for (const [column, token] of [
      ['access_token_enc', accessToken],
      ['refresh_token_enc', refreshToken],
    ] as const) {
      expect(row[column]).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(row[column]).not.toContain(token);
      expect(row[column]).not.toContain(Buffer.from(token).toString('base64url'));
    }
    expect(box().open(row.access_token_enc, `portal:${portalId}:access_token`)).toBe(accessToken);
    expect(box().open(row.refresh_token_enc, `portal:${portalId}:refresh_token`)).toBe(refreshToken);
    expect(() => box().open(row.access_token_enc, `portal:${portalId + 1}:access_token`)).toThrow(/tampered/);
    expect(() => box().open(row.access_token_enc, `portal:${portalId}:refresh_token`)).toThrow(/tampered/);
  });

  it('escapes what HubSpot reports on the installed page', async () => {
    const portalId = newPortalId();
    const res = await install(portalId, { accessToken: `at-${portalId}`, refreshToken: `rt-${portalId}` }, { hubDomain: '<script>alert("x")</script>&co' });
    expect(res.text).not.toContain('<script>');
    expect(res.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;co');
  });

  it('refuses forged states without calling HubSpot', async () => {
    const { state } = await startInstall();
    const lastChar = state.at(-1) === 'A' ? 'B' : 'A';
    const forged = [
      'not-a-state',
      `${state.slice(0, -1)}${lastChar}`,
      issueOAuthState('another-secret-another-secret-another-secret', clock.now()).value,
      state.replace(/\.(\d+)\./, (_, exp: string) => `.${Number(exp) + 3_600_000}.`),
    ];
    for (const value of forged) {
      const res = await callback('code-1', value);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_oauth_state', message: expect.stringContaining('not valid') });
    }
  });

  it('refuses an expired state', async () => {
    const { state } = await startInstall();
    at(10 * MINUTE + 1000);
    const res = await callback('code-1', state);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_oauth_state', message: expect.stringContaining('expired') });
  });

  it('uses a state once, also when two callbacks race', async () => {
    const portalId = newPortalId();
    const { state } = await startInstall();
    hubspotOAuth.grantsCode('code-a', { accessToken: `at-${portalId}`, refreshToken: `rt-${portalId}` });
    hubspotOAuth.describesToken(`at-${portalId}`, { hubId: portalId });
    const results = await Promise.all([callback('code-a', state), callback('code-b', state)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    const replay = await callback('code-a', state);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toMatchObject({ code: 'invalid_oauth_state', message: expect.stringContaining('already used') });
  });

  it('answers 400 when HubSpot no longer accepts the code', async () => {
    const { state } = await startInstall();
    hubspotOAuth.refusesCode('stale-code');
    const res = await callback('stale-code', state);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('oauth_code_rejected');
  });

  it('reinstalls: replaces the tokens and re-activates an uninstalled portal', async () => {
    const portalId = newPortalId();
    await install(portalId, { accessToken: 'at-old', refreshToken: 'rt-old' });
    await uninstallPortal(t.deps, portalId);
    at(5 * MINUTE);
    const res = await install(portalId, { accessToken: 'at-new', refreshToken: 'rt-new' });
    expect(res.text).toContain('reconnected to your HubSpot account');
    const row = await portalRow(portalId);
    expect(row).toMatchObject({ status: 'active', uninstalled_at: null });
    expect(box().open(row.access_token_enc, `portal:${portalId}:access_token`)).toBe('at-new');
    expect(box().open(row.refresh_token_enc, `portal:${portalId}:refresh_token`)).toBe('rt-new');
    expect(await provider().accessTokenFor(portalId)).toBe('at-new');
  });
});

describe('accessTokenFor', () => {
  it('hands out the stored token while it has more than 5 minutes, then refreshes it first', async () => {
    const portalId = newPortalId();
    await install(portalId, { accessToken: 'at-1', refreshToken: 'rt-1' });
    const tokens = provider();
    at(25 * MINUTE - 1000);
    expect(await tokens.accessTokenFor(portalId)).toBe('at-1');
    at(25 * MINUTE);
    hubspotOAuth.refreshes('rt-1', { accessToken: 'at-2' });
    expect(await tokens.accessTokenFor(portalId)).toBe('at-2');
    const row = await portalRow(portalId);
    expect(new Date(row.access_token_expires_at).toISOString()).toBe(new Date(Date.parse(START) + 55 * MINUTE).toISOString());
    expect(box().open(row.refresh_token_enc, `portal:${portalId}:refresh_token`)).toBe('rt-1');
    expect(await tokens.accessTokenFor(portalId)).toBe('at-2');
  });

  it('refreshes once for 20 concurrent callers', async () => {
    const portalId = newPortalId();
    await install(portalId, { accessToken: 'at-1', refreshToken: 'rt-1' });
    at(27 * MINUTE);
    hubspotOAuth.refreshes('rt-1', { accessToken: 'at-2' }, { delayMs: 100 });
    const tokens = provider();
    const got = await Promise.all(Array.from({ length: 20 }, () => tokens.accessTokenFor(portalId)));
    expect(got).toEqual(Array(20).fill('at-2'));
  });

  it('refreshes once across processes: the second waits for the row lock and finds the new token', async () => {
    const portalId = newPortalId();
    await install(portalId, { accessToken: 'at-1', refreshToken: 'rt-1' });
    at(27 * MINUTE);
    hubspotOAuth.refreshes('rt-1', { accessToken: 'at-2' }, { delayMs: 100 });
    const [a, b] = [provider(), provider()];
    const got = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).accessTokenFor(portalId)));
    expect(got).toEqual(Array(20).fill('at-2'));
  });

  it('marks the portal needs_reauth when HubSpot refuses the refresh token, and cards get a 401', async () => {
    const portalId = newPortalId();
    await install(portalId, { accessToken: 'at-1', refreshToken: 'rt-revoked' });
    at(29 * MINUTE);
    hubspotOAuth.refusesRefresh('rt-revoked');
    const tokens = provider();
    await expect(tokens.accessTokenFor(portalId)).rejects.toMatchObject({ code: 'hubspot_reauth_required' });
    expect((await portalRow(portalId)).status).toBe('needs_reauth');
    // No second attempt at HubSpot: only a reinstall helps.
    await expect(tokens.accessTokenFor(portalId)).rejects.toMatchObject({ code: 'hubspot_reauth_required' });

    const card = await cardRequest(t.app, {
      method: 'GET',
      path: `/api/v1/invoices?${proxyQuery(portalId)}`,
      timestamp: clock.now().getTime(),
      secret: HUBSPOT_LIVE_ENV.HUBSPOT_CLIENT_SECRET,
    });
    expect(card.status).toBe(401);
    expect(card.body.error).toMatchObject({ code: 'hubspot_reauth_required', message: expect.stringContaining('reinstall') });

    await install(portalId, { accessToken: 'at-again', refreshToken: 'rt-again' });
    expect(await tokens.accessTokenFor(portalId)).toBe('at-again');
  });

  it('reports HubSpot outages as upstream errors without touching the install', async () => {
    const portalId = newPortalId();
    await install(portalId, { accessToken: 'at-1', refreshToken: 'rt-1' });
    at(28 * MINUTE);
    hubspotOAuth.failsToRefresh(503);
    const tokens = provider();
    await expect(tokens.accessTokenFor(portalId)).rejects.toMatchObject({ code: 'upstream_error' });
    expect((await portalRow(portalId)).status).toBe('active');
    hubspotOAuth.refreshes('rt-1', { accessToken: 'at-2' });
    expect(await tokens.accessTokenFor(portalId)).toBe('at-2');
  });

  it('refuses unknown and uninstalled portals', async () => {
    await expect(provider().accessTokenFor(newPortalId())).rejects.toMatchObject({ code: 'portal_not_installed' });
    const tokenOnly = newPortalId();
    await t.as(tokenOnly).get('/api/v1/invoices');
    await expect(provider().accessTokenFor(tokenOnly)).rejects.toMatchObject({ code: 'portal_not_installed' });
  });
});

describe('uninstallPortal', () => {
  it('forgets the tokens and marks the portal uninstalled, once', async () => {
    const portalId = newPortalId();
    await install(portalId, { accessToken: 'at-1', refreshToken: 'rt-1' });
    at(MINUTE);
    expect(await uninstallPortal(t.deps, portalId)).toBe(true);
    const row = await portalRow(portalId);
    expect(row).toMatchObject({ status: 'uninstalled', access_token_enc: null, refresh_token_enc: null, access_token_expires_at: null });
    expect(new Date(row.uninstalled_at).toISOString()).toBe(new Date(Date.parse(START) + MINUTE).toISOString());
    await expect(provider().accessTokenFor(portalId)).rejects.toMatchObject({ code: 'portal_not_installed' });

    at(2 * MINUTE);
    expect(await uninstallPortal(t.deps, portalId)).toBe(true);
    expect(new Date((await portalRow(portalId)).uninstalled_at).toISOString()).toBe(new Date(Date.parse(START) + MINUTE).toISOString());
    expect(await uninstallPortal(t.deps, newPortalId())).toBe(false);
  });
});
