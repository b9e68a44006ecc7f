import { Writable } from 'node:stream';
import { pino } from 'pino';
import supertest from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { uninstallPortal } from '../src/app/uninstall-portal.js';
import { decodeSignedUri, verifyHubSpotSignatureV1, verifyHubSpotSignatureV3 } from '../src/http/hubspot-signature.js';
import { cardRequest, proxyQuery, TEST_ORIGIN, v3Signature } from './fakes/hubspot-signing.js';
import { hubspotUsers } from './fakes/hubspot-users.js';
import { newPortalId } from './helpers/app.js';
import { draftBody } from './helpers/factories.js';
import { installedPortal } from './helpers/hubspot-install.js';
import { useTestApp } from './helpers/use-test-app.js';

const t = useTestApp({ clock: '2026-11-28T12:00:00Z', offline: true });
const { db, clock } = t;
const now = () => clock.now().getTime();
const MINUTE = 60_000;

// The card user (42) was created before 2023-02-09: view and edit by default.
beforeEach(() => {
  hubspotUsers([{ id: '42', createdAt: '2022-05-01T00:00:00Z' }]);
});

async function installed(): Promise<number> {
  const portalId = newPortalId();
  await installedPortal(t.deps, portalId);
  return portalId;
}

describe('HubSpot v3 signatures on card requests', () => {
  it('accepts a signed GET whose query holds percent-encoded characters', async () => {
    const portalId = await installed();
    const path = `/api/v1/invoices?q=Q1%3A%20ACME%2FEU%20%28draft%29&${proxyQuery(portalId)}`;
    // HubSpot decodes only the characters its table lists; %20 stays encoded.
    const signedUri = `${TEST_ORIGIN}/api/v1/invoices?q=Q1:%20ACME/EU%20(draft)&portalId=${portalId}&userId=42&userEmail=ada@example.com&appId=424242`;
    const res = await cardRequest(t.app, { method: 'GET', path, signedUri, timestamp: now() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ data: [], nextCursor: null });
    expect(res.body.permissions).toEqual({ view: true, edit: true, finalize: true, void: true, record_payment: true, export: true, settings: false });
    // Signing the URI as sent (undecoded) is not what HubSpot does, so it must not pass.
    const undecoded = await cardRequest(t.app, { method: 'GET', path, signedUri: `${TEST_ORIGIN}${path}`, timestamp: now() });
    expect(undecoded.status).toBe(401);
  });

  it('acts as the signed user of the signed portal', async () => {
    const portalId = await installed();
    const created = await cardRequest(t.app, { method: 'POST', path: `/api/v1/invoices?${proxyQuery(portalId, '42')}`, body: draftBody(), timestamp: now() });
    expect(created.status).toBe(201);
    const events = await cardRequest(t.app, {
      method: 'GET',
      path: `/api/v1/invoices/${created.body.id}/events?${proxyQuery(portalId, '42')}`,
      timestamp: now(),
    });
    expect(events.status).toBe(200);
    expect(events.body.data[0]).toMatchObject({ type: 'invoice.created', actor: { type: 'user', id: '42' } });
    // The invoice belongs to the signed portal: another portal's bearer token does not see it.
    expect((await t.as(newPortalId()).get(`/api/v1/invoices/${created.body.id}`)).status).toBe(404);
  });

  it('refuses a signature made with another secret', async () => {
    const portalId = await installed();
    const res = await cardRequest(t.app, {
      method: 'GET',
      path: `/api/v1/invoices?${proxyQuery(portalId)}`,
      timestamp: now(),
      secret: 'not-the-client-secret',
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('refuses a body changed after signing', async () => {
    const portalId = await installed();
    const res = await cardRequest(t.app, {
      method: 'POST',
      path: `/api/v1/invoices?${proxyQuery(portalId)}`,
      body: draftBody(),
      tamperedBody: draftBody({ buyerComments: 'pay to another account' }),
      timestamp: now(),
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('refuses a portalId changed after signing', async () => {
    const [signedFor, target] = [await installed(), await installed()];
    const res = await cardRequest(t.app, {
      method: 'GET',
      path: `/api/v1/invoices?${proxyQuery(target)}`,
      signedUri: `${TEST_ORIGIN}/api/v1/invoices?portalId=${signedFor}&userId=42&userEmail=ada@example.com&appId=424242`,
      timestamp: now(),
    });
    expect(res.status).toBe(401);
  });

  it('refuses a timestamp 6 minutes old or 6 minutes ahead, and accepts 4 minutes either way', async () => {
    const portalId = await installed();
    const at = (timestamp: number) => cardRequest(t.app, { method: 'GET', path: `/api/v1/invoices?${proxyQuery(portalId)}`, timestamp });
    for (const stale of [now() - 6 * MINUTE, now() + 6 * MINUTE]) {
      const res = await at(stale);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
    expect((await at(now() - 4 * MINUTE)).status).toBe(200);
    expect((await at(now() + 4 * MINUTE)).status).toBe(200);
  });

  it('refuses a signature without its timestamp, and a request with neither header nor token', async () => {
    const portalId = await installed();
    const noTimestamp = await cardRequest(t.app, { method: 'GET', path: `/api/v1/invoices?${proxyQuery(portalId)}`, timestamp: now(), omitTimestamp: true });
    expect(noTimestamp.status).toBe(401);
    expect(noTimestamp.body.error.code).toBe('unauthenticated');
    const bare = await supertest(t.app).get(`/api/v1/invoices?${proxyQuery(portalId)}`);
    expect(bare.status).toBe(401);
    expect(bare.body.error.code).toBe('unauthenticated');
  });

  it('refuses a signed request that does not name its portal and user', async () => {
    const res = await cardRequest(t.app, { method: 'GET', path: '/api/v1/invoices', timestamp: now() });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('logs why a signature was refused, never the signature or the secret', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = createApp({ ...t.deps, logger: pino({ level: 'warn' }, sink) });
    const portalId = await installed();
    const timestamp = String(now());
    const signature = v3Signature('wrong-secret', 'GET', `${TEST_ORIGIN}/api/v1/invoices`, '', timestamp);
    const res = await supertest(app)
      .get(`/api/v1/invoices?${proxyQuery(portalId)}`)
      .set('X-HubSpot-Signature-v3', signature)
      .set('X-HubSpot-Request-Timestamp', timestamp);
    expect(res.status).toBe(401);
    const log = lines.join('');
    expect(log).toContain('"reason":"mismatch"');
    expect(log).not.toContain(signature);
    expect(log).not.toContain('sandbox-client-secret');
    expect(log).not.toContain('ada@example.com');
  });
});

describe('which portals a signed request may act for', () => {
  it('refuses a portal that never installed the app (also one known only from API tokens)', async () => {
    const neverSeen = newPortalId();
    const tokenOnly = newPortalId();
    expect((await t.as(tokenOnly).get('/api/v1/invoices')).status).toBe(200);
    for (const portalId of [neverSeen, tokenOnly]) {
      const res = await cardRequest(t.app, { method: 'GET', path: `/api/v1/invoices?${proxyQuery(portalId)}`, timestamp: now() });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('portal_not_installed');
    }
  });

  it('refuses a portal that uninstalled the app', async () => {
    const portalId = await installed();
    expect(await uninstallPortal(t.deps, portalId)).toBe(true);
    const res = await cardRequest(t.app, { method: 'GET', path: `/api/v1/invoices?${proxyQuery(portalId)}`, timestamp: now() });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'portal_not_installed', message: expect.stringContaining('not installed') });
  });

  it('refuses a portal whose HubSpot grant must be renewed', async () => {
    const portalId = await installed();
    await db('portals').where({ id: portalId }).update({ status: 'needs_reauth' });
    const res = await cardRequest(t.app, { method: 'GET', path: `/api/v1/invoices?${proxyQuery(portalId)}`, timestamp: now() });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'hubspot_reauth_required', message: expect.stringContaining('reinstall') });
  });

  it('still lets bearer API tokens in, with their own scopes', async () => {
    const api = t.as(newPortalId(), ['invoices:read']);
    expect((await api.get('/api/v1/invoices')).status).toBe(200);
    const write = await api.post('/api/v1/invoices', draftBody());
    expect(write.status).toBe(403);
  });
});

describe('signature functions', () => {
  it('decodes exactly the characters HubSpot lists, in either hex case', () => {
    expect(decodeSignedUri('https://x.test/a%2Fb?c=%3A%3a%2F%3F%40%21%24%27%28%29%2A%2C%3B')).toBe("https://x.test/a/b?c=::/?@!$'()*,;");
    expect(decodeSignedUri('https://x.test/?q=a%20b%26c%3Dd%25e%2B')).toBe('https://x.test/?q=a%20b%26c%3Dd%25e%2B');
  });

  it('checks v3 over the raw bytes, method and URI', () => {
    const timestamp = String(now());
    const body = '{"amount":100}';
    const signature = v3Signature('s3cret', 'POST', 'https://x.test/hook?a=b:c', body, timestamp);
    const base = { clientSecret: 's3cret', method: 'POST', uri: 'https://x.test/hook?a=b%3Ac', rawBody: Buffer.from(body), signature, timestamp, now: now() };
    expect(verifyHubSpotSignatureV3(base)).toEqual({ ok: true });
    expect(verifyHubSpotSignatureV3({ ...base, method: 'PUT' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyHubSpotSignatureV3({ ...base, uri: 'http://x.test/hook?a=b%3Ac' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyHubSpotSignatureV3({ ...base, timestamp: '12e5' })).toEqual({ ok: false, reason: 'malformed_timestamp' });
    expect(verifyHubSpotSignatureV3({ ...base, signature: undefined })).toEqual({ ok: false, reason: 'missing_headers' });
  });

  it("checks v1 against the example in HubSpot's documentation", () => {
    const clientSecret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
    const rawBody =
      '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    const signature = '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de';
    expect(verifyHubSpotSignatureV1({ clientSecret, rawBody, signature })).toBe(true);
    expect(verifyHubSpotSignatureV1({ clientSecret, rawBody: Buffer.from(rawBody), signature: signature.toUpperCase() })).toBe(true);
    expect(verifyHubSpotSignatureV1({ clientSecret, rawBody: rawBody.replace('62515', '62516'), signature })).toBe(false);
    expect(verifyHubSpotSignatureV1({ clientSecret: 'another-secret', rawBody, signature })).toBe(false);
    expect(verifyHubSpotSignatureV1({ clientSecret, rawBody, signature: undefined })).toBe(false);
  });
});
