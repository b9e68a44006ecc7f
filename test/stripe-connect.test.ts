import supertest from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { onlinePaymentsAvailable } from '../src/app/online-payments.js';
import { purposeMac } from '../src/app/purpose-mac.js';
import { deliver, STRIPE_ENV, STRIPE_TEST_CLIENT_ID, stripeFake } from './fakes/stripe.js';
import { newPortalId, TEST_SECRET, testApp, type TestApp } from './helpers/app.js';
import { invoiceIn } from './helpers/invoices.js';
import { useTestApp } from './helpers/use-test-app.js';

const t = useTestApp({ clock: '2026-11-28T12:00:00Z', env: STRIPE_ENV, offline: true });
const { db, clock } = t;
/** The same database without Stripe keys. */
let off: TestApp;

beforeAll(() => {
  off = testApp(db, { clock: clock.now });
});

/** Runs the OAuth flow for `portal` and returns the state it used. */
async function connect(portal: number, account: string, chargesEnabled: boolean) {
  const stripe = stripeFake(clock.now);
  const started = await t.as(portal).post('/api/v1/stripe/connect');
  expect(started.status).toBe(200);
  const url = new URL(started.body.url);
  const state = url.searchParams.get('state')!;
  stripe.grantsCode('ac_code_1', account);
  stripe.hasAccount(account, { chargesEnabled });
  const back = await supertest(t.app).get(`/stripe/oauth/callback?code=ac_code_1&scope=read_write&state=${encodeURIComponent(state)}`);
  expect(back.status).toBe(200);
  expect(stripe.isDone()).toBe(true);
  return { state, page: back };
}

describe('connecting a portal Stripe account (OAuth, Standard)', () => {
  it("returns Stripe's OAuth URL with a signed state, stores the account on return, and shows it", async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    expect((await api.get('/api/v1/stripe/connection')).body).toEqual({
      status: 'not_connected',
      accountId: null,
      chargesEnabled: false,
      connectedAt: null,
      available: true,
    });
    const started = await api.post('/api/v1/stripe/connect');
    const url = new URL(started.body.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://connect.stripe.com/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: STRIPE_TEST_CLIENT_ID,
      scope: 'read_write',
      redirect_uri: 'https://invoices.test/stripe/oauth/callback',
    });

    const account = `acct_${portal}`;
    const { state, page } = await connect(portal, account, false);
    expect(page.text).toContain('Stripe is connected');
    expect(page.text).toContain('has not enabled payments');
    expect((await api.get('/api/v1/stripe/connection')).body).toEqual({
      status: 'pending',
      accountId: account,
      chargesEnabled: false,
      connectedAt: '2026-11-28T12:00:00.000Z',
      available: true,
    });
    expect(await onlinePaymentsAvailable(t.deps, portal)).toBe(false);

    // Stripe enables charges later: account.updated.
    expect((await deliver(t.app, stripeFake(clock.now).accountUpdated(account, true))).body.outcome).toBe('applied');
    expect((await api.get('/api/v1/stripe/connection')).body).toMatchObject({ status: 'connected', chargesEnabled: true });
    expect(await onlinePaymentsAvailable(t.deps, portal)).toBe(true);

    // The state is single-use.
    const replay = await supertest(t.app).get(`/stripe/oauth/callback?code=ac_code_2&state=${encodeURIComponent(state)}`);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('used');
  });

  it('refuses forged and expired states and declined connections without calling Stripe', async () => {
    const portal = newPortalId();
    const started = await t.as(portal).post('/api/v1/stripe/connect');
    const state = new URL(started.body.url).searchParams.get('state')!;
    const forged = state.replace(/\.\d+\./, `.${portal + 1}.`);
    expect((await supertest(t.app).get(`/stripe/oauth/callback?code=c&state=${encodeURIComponent(forged)}`)).status).toBe(400);
    const declined = await supertest(t.app).get(
      `/stripe/oauth/callback?error=access_denied&error_description=${encodeURIComponent('<b>no</b>')}&state=${encodeURIComponent(state)}`,
    );
    expect(declined.status).toBe(400);
    expect(declined.text).toContain('&lt;b&gt;no&lt;/b&gt;');
    const later = testApp(db, { clock: () => new Date('2026-11-28T13:00:00Z'), env: STRIPE_ENV });
    const fresh = new URL((await t.as(portal).post('/api/v1/stripe/connect')).body.url).searchParams.get('state')!;
    const expired = await supertest(later.app).get(`/stripe/oauth/callback?code=c&state=${encodeURIComponent(fresh)}`);
    expect(expired.status).toBe(400);
    expect(expired.text).toContain('expired');
    expect((await supertest(t.app).get('/stripe/oauth/callback')).status).toBe(400);
    expect((await t.as(portal).get('/api/v1/stripe/connection')).body.status).toBe('not_connected');
  });

  it('says so when Stripe refuses the code', async () => {
    const portal = newPortalId();
    const state = new URL((await t.as(portal).post('/api/v1/stripe/connect')).body.url).searchParams.get('state')!;
    const stripe = stripeFake(clock.now);
    stripe.refusesCode('ac_bad');
    const res = await supertest(t.app).get(`/stripe/oauth/callback?code=ac_bad&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('did not accept the authorization code');
    expect(stripe.isDone()).toBe(true);
  });

  it('disconnects through the API (Stripe deauthorize) and on account.application.deauthorized, ignoring a stale one', async () => {
    const portal = newPortalId();
    const account = `acct_${portal}`;
    await connect(portal, account, true);
    const stripe = stripeFake(clock.now);
    stripe.deauthorizes(account);
    expect((await t.as(portal).delete('/api/v1/stripe/connection')).status).toBe(204);
    expect(stripe.isDone()).toBe(true);
    expect((await t.as(portal).get('/api/v1/stripe/connection')).body.status).toBe('not_connected');
    expect((await t.as(portal).delete('/api/v1/stripe/connection')).status).toBe(204);

    // Reconnected at 12:00; a deauthorization from before that is stale and changes nothing.
    await connect(portal, account, true);
    const stale = stripe.deauthorized(account, new Date('2026-11-28T11:00:00Z'));
    expect((await deliver(t.app, stale)).body.outcome).toBe('ignored');
    expect((await t.as(portal).get('/api/v1/stripe/connection')).body.status).toBe('connected');
    const now = stripe.deauthorized(account, new Date('2026-11-28T12:30:00Z'));
    expect((await deliver(t.app, now)).body.outcome).toBe('applied');
    expect((await t.as(portal).get('/api/v1/stripe/connection')).body.status).toBe('not_connected');
  });

  it('needs the settings permission', async () => {
    const api = t.as(newPortalId(), ['invoices:read', 'invoices:write']);
    expect((await api.post('/api/v1/stripe/connect')).status).toBe(403);
    expect((await api.get('/api/v1/stripe/connection')).status).toBe(403);
    expect((await api.delete('/api/v1/stripe/connection')).status).toBe(403);
  });

  it('without Stripe keys: available false, connect refused, manual payments still work', async () => {
    const portal = newPortalId();
    const api = off.as(portal);
    expect((await api.get('/api/v1/stripe/connection')).body).toMatchObject({ status: 'not_connected', available: false });
    const res = await api.post('/api/v1/stripe/connect');
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('stripe_unavailable');
    expect((await supertest(off.app).post('/webhooks/stripe').send({})).status).toBe(503);
    const draft = await invoiceIn(api, 'open');
    expect((await api.post(`/api/v1/invoices/${draft.id}/payments`, { amount: 16335, method: 'cash' })).body.status).toBe('paid');
    expect(await onlinePaymentsAvailable(off.deps, portal)).toBe(false);
  });

  // Issue 13, finding 10: the state names the portal and the user who started the connection.
  it('names the portal and the user in the state; a state for another user or without a user does not complete', async () => {
    const portal = newPortalId();
    const started = await t.as(portal, undefined, '4242').post('/api/v1/stripe/connect');
    const state = new URL(started.body.url).searchParams.get('state')!;
    const [id, statePortal, stateUser, exp] = state.split('.');
    expect([statePortal, stateUser]).toEqual([String(portal), '4242']);
    const callback = (s: string) => supertest(t.app).get(`/stripe/oauth/callback?code=ac_code_9&state=${encodeURIComponent(s)}`);
    // Completing as another user: the state's user cannot be swapped (no call to Stripe, nothing stored).
    const asOther = await callback(state.replace(`.${portal}.4242.`, `.${portal}.7.`));
    expect(asOther.status).toBe(400);
    expect(asOther.text).toContain('not valid');
    // A state without a user (the portal-only format, even correctly signed) is refused.
    const portalOnly = `${id}.${portal}.${exp}`;
    for (const purpose of ['stripe-connect-state/v1', 'stripe-connect-state/v2']) {
      const res = await callback(`${portalOnly}.${purposeMac(TEST_SECRET, purpose, portalOnly)}`);
      expect(res.status).toBe(400);
    }
    expect((await t.as(portal).get('/api/v1/stripe/connection')).body.status).toBe('not_connected');
    // The state's own user completes it.
    const stripe = stripeFake(clock.now);
    stripe.grantsCode('ac_code_9', 'acct_user_bound');
    stripe.hasAccount('acct_user_bound', { chargesEnabled: true });
    expect((await callback(state)).status).toBe(200);
    expect((await t.as(portal).get('/api/v1/stripe/connection')).body).toMatchObject({ status: 'connected', accountId: 'acct_user_bound' });
  });
});
