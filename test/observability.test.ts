import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import nock from 'nock';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { HubSpotCrmAdapter } from '../src/integrations/hubspot/crm-adapter.js';
import { createLogger } from '../src/observability/logger.js';
import { setJobQueueDepthReader } from '../src/observability/metrics.js';
import { HUBSPOT_LIVE_ENV, HUBSPOT_TEST_API, hubspotOAuth } from './fakes/hubspot-oauth.js';
import { newPortalId } from './helpers/app.js';
import { useTestApp } from './helpers/use-test-app.js';
import { invoiceIn } from './helpers/invoices.js';

/** Every line the service logs during these tests, as parsed JSON. */
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
const logger = createLogger('trace', sink);
const logText = () => JSON.stringify(lines);

// The real HubSpot adapter, fast retries: its retry warnings are logged outside req.log.
const crm = new HubSpotCrmAdapter({ baseUrl: HUBSPOT_TEST_API, accessToken: async (p) => `at-crm-${p}`, logger, maxRetries: 1, sleep: async () => {} });
// /metrics is served on the API listener only to this token (issue 13, finding 8).
const METRICS_TOKEN = 'metrics-token-metrics-token-0123456789';
const t = useTestApp({ clock: '2026-11-28T12:00:00Z', env: { ...HUBSPOT_LIVE_ENV, METRICS_TOKEN }, logger, crm, offline: true });
afterEach(() => {
  const done = nock.isDone();
  nock.cleanAll();
  expect(done).toBe(true);
});

async function metrics(): Promise<string> {
  const res = await supertest(t.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
  expect(res.status).toBe(200);
  return res.text;
}
/** The value of one sample line (`name{labels} value`), 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) return Number(line.split(' ').at(-1));
  }
  return 0;
}

describe('logs', () => {
  it('puts the request id on every line written while handling a request, from use cases and adapters too', async () => {
    const reqId = `req-${randomUUID()}`;
    nock(HUBSPOT_TEST_API)
      .get(/\/crm\/objects\/2026-03\/deals\/424242/)
      .times(2)
      .reply(503, { message: 'down', correlationId: 'c-1' });
    const portalId = newPortalId();
    const res = await t
      .as(portalId)
      .post('/api/v1/invoices', { source: { objectType: 'deals', objectId: '424242' } })
      .set('X-Request-Id', reqId);
    expect(res.status).toBe(502);
    const mine = lines.filter((l) => l.reqId === reqId);
    // The adapter's retry warning and final error (process logger), and the request line.
    expect(mine.map((l) => l.msg)).toEqual(expect.arrayContaining(['HubSpot request failed; retrying', 'HubSpot request failed after retries', 'request']));
    const adapterLines = lines.filter((l) => typeof l.msg === 'string' && (l.msg as string).startsWith('HubSpot request failed'));
    expect(adapterLines.every((l) => l.reqId === reqId)).toBe(true);
    // Logged once, not twice, on lines of request loggers.
    expect(logText()).not.toMatch(/"reqId":"[^"]+","reqId"/);
  });

  it('logs route patterns, never paths that carry ids or hosted-page tokens', async () => {
    const token = `tok${randomUUID().replaceAll('-', '')}`;
    await supertest(t.app).get(`/i/${token}`);
    const id = randomUUID();
    await t.as(newPortalId()).get(`/api/v1/invoices/${id}`);
    expect(logText()).not.toContain(token);
    expect(logText()).not.toContain(id);
    expect(lines.some((l) => l.msg === 'request' && l.route === '/api/v1/invoices/:id')).toBe(true);
  });

  it('never writes access tokens, refresh tokens, the client secret or API keys', async () => {
    const portalId = newPortalId();
    const accessToken = `at-${randomUUID()}`;
    const refreshToken = `rt-${randomUUID()}`;
    const install = await supertest(t.app).get('/oauth/install');
    const state = new URL(install.headers.location as string).searchParams.get('state')!;
    const code = `code-${randomUUID()}`;
    hubspotOAuth.grantsCode(code, { accessToken, refreshToken });
    hubspotOAuth.describesToken(accessToken, { hubId: portalId });
    expect((await supertest(t.app).get(`/oauth/callback?code=${code}&state=${encodeURIComponent(state)}`)).status).toBe(200);
    const api = t.as(portalId);
    // An API token in the Authorization header of a logged request.
    await api.get('/api/v1/invoices');
    // Objects that name secrets, at several depths, as a careless log call would.
    const stripeKey = `sk_live_${randomUUID().replaceAll('-', '')}`;
    logger.info({ accessToken, nested: { refreshToken, deeper: { clientSecret: HUBSPOT_LIVE_ENV.HUBSPOT_CLIENT_SECRET } } }, 'careless');
    logger.info(
      { config: { stripe: { secretKey: stripeKey, webhookSecret: 'whsec_abc123' } }, headers: { authorization: `Bearer ${api.token}` } },
      'careless 2',
    );
    const text = logText();
    for (const secret of [accessToken, refreshToken, HUBSPOT_LIVE_ENV.HUBSPOT_CLIENT_SECRET, api.token, stripeKey, 'whsec_abc123', code]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });
});

describe('GET /metrics', () => {
  it('counts requests by route pattern and status, finalizations and HubSpot calls by outcome', async () => {
    const before = await metrics();
    const api = t.as(newPortalId());
    await invoiceIn(api, 'open');
    expect((await api.get(`/api/v1/invoices/${randomUUID()}`)).status).toBe(404);
    expect((await api.get('/api/v1/exports/xero-csv')).status).toBe(200);
    nock(HUBSPOT_TEST_API)
      .get(/\/crm\/objects\/2026-03\/deals\/777/)
      .reply(429, { policyName: 'TEN_SECONDLY_ROLLING', message: 'slow down' }, { 'Retry-After': '0' });
    nock(HUBSPOT_TEST_API)
      .get(/\/crm\/objects\/2026-03\/deals\/777/)
      .reply(404, { message: 'no such deal' });
    expect((await api.post('/api/v1/invoices', { source: { objectType: 'deals', objectId: '777' } })).status).toBe(404);

    const after = await metrics();
    expect(after).toContain('# TYPE http_request_duration_seconds histogram');
    const finalizeRoute = { route: '/api/v1/invoices/:id/finalize', method: 'POST', status: '200' };
    expect(sample(after, 'http_request_duration_seconds_count', finalizeRoute) - sample(before, 'http_request_duration_seconds_count', finalizeRoute)).toBe(1);
    const missing = { route: '/api/v1/invoices/:id', method: 'GET', status: '404' };
    expect(sample(after, 'http_request_duration_seconds_count', missing) - sample(before, 'http_request_duration_seconds_count', missing)).toBe(1);
    expect(sample(after, 'invoices_finalized_total') - sample(before, 'invoices_finalized_total')).toBe(1);
    expect(sample(after, 'exports_written_total', { format: 'xero-csv' }) - sample(before, 'exports_written_total', { format: 'xero-csv' })).toBe(1);
    for (const outcome of ['rate_limited', 'not_found']) {
      expect(sample(after, 'vendor_calls_total', { vendor: 'hubspot', outcome }) - sample(before, 'vendor_calls_total', { vendor: 'hubspot', outcome })).toBe(
        1,
      );
    }
  });

  it("reports each queue's depth as the process's job queue reads it at scrape time", async () => {
    setJobQueueDepthReader(async () => ({ 'webhook-deliver': 3, 'invoice-mirror': 0 }));
    try {
      const text = await metrics();
      expect(sample(text, 'job_queue_depth', { queue: 'webhook-deliver' })).toBe(3);
      expect(text).toMatch(/^job_queue_depth\{queue="invoice-mirror"\} 0$/m);
    } finally {
      setJobQueueDepthReader(null);
    }
  });
});
