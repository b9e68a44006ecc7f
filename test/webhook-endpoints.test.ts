import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../src/app/secret-box.js';
import { MAX_WEBHOOK_ENDPOINTS, openEndpointSecret } from '../src/app/webhook-endpoints.js';
import { WEBHOOK_EVENT_TYPES } from '../src/domain/webhooks.js';
import { newPortalId, testApp } from './helpers/app.js';
import { useTestApp } from './helpers/use-test-app.js';

const t = useTestApp();
const { db } = t;

const storedCount = async (portalId: number) => Number((await db('webhook_endpoints').where({ portal_id: portalId }).count({ n: '*' }))[0]!.n);

describe('webhook endpoints API', () => {
  it('registers an endpoint, shows its secret once and stores it sealed', async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    const res = await api.post('/api/v1/webhook-endpoints', { url: 'https://hooks.example.com/invoices?x=1' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: 'https://hooks.example.com/invoices?x=1',
      events: [...WEBHOOK_EVENT_TYPES],
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
    });
    const list = await api.get('/api/v1/webhook-endpoints');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ data: [{ id: res.body.id, url: res.body.url, events: res.body.events, createdAt: res.body.createdAt }], nextCursor: null });
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret);

    const row = await db('webhook_endpoints').where({ portal_id: portal, id: res.body.id }).first();
    expect(row.secret_sealed).not.toContain(res.body.secret.slice(6));
    const box = createSecretBox(t.deps.config.tokenEncryptionKey);
    expect(openEndpointSecret(box, portal, res.body.id, row.secret_sealed)).toBe(res.body.secret);
    // Sealed for this portal and endpoint: the same value does not open for another.
    expect(() => openEndpointSecret(box, portal + 1, res.body.id, row.secret_sealed)).toThrow();
  });

  it('subscribes to chosen events only, and allows http to loopback only with WEBHOOK_ALLOW_LOOPBACK=true', async () => {
    const api = testApp(db, { env: { WEBHOOK_ALLOW_LOOPBACK: 'true' } }).as(newPortalId());
    const res = await api.post('/api/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hook', events: ['invoice.paid', 'invoice.overdue'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.events).toEqual(['invoice.paid', 'invoice.overdue']);
    expect((await api.post('/api/v1/webhook-endpoints', { url: 'http://localhost:8080/x' })).status).toBe(201);
    expect((await api.post('/api/v1/webhook-endpoints', { url: 'http://[::1]:8080/x' })).status).toBe(201);
  });

  const badUrls: Array<[string, unknown, RegExp]> = [
    ['plain http', 'http://hooks.example.com/x', /https/],
    ['another scheme', 'ftp://hooks.example.com/x', /https/],
    ['javascript', 'javascript:alert(1)', /https/],
    ['not a URL', 'hooks.example.com/x', /absolute/],
    ['credentials', 'https://user:secret@hooks.example.com/x', /user name or password/],
    ['a fragment', 'https://hooks.example.com/x#frag', /fragment/],
    ['a private address', 'https://10.0.0.5/x', /private/],
    ['cloud metadata', 'https://169.254.169.254/latest/meta-data', /private/],
    ['IPv6 link-local', 'https://[fe80::1]/x', /private/],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/x', /loopback/],
    ['loopback (off by default)', 'http://127.0.0.1:9/x', /https/],
    ['http to a private address', 'http://192.168.1.10/x', /https/],
    ['a line break', 'https://hooks.exa\nmple.com/x', /control/],
    ['too long', `https://hooks.example.com/${'a'.repeat(2048)}`, /2048/],
    ['not a string', 42, /string/],
    ['empty', '', /empty/],
  ];
  it.each(badUrls)('refuses %s with 400 naming url and stores nothing', async (_name, url, message) => {
    const portal = newPortalId();
    const res = await t.as(portal).post('/api/v1/webhook-endpoints', { url });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toEqual([{ path: 'url', message: expect.stringMatching(message) }]);
    expect(await storedCount(portal)).toBe(0);
  });

  it('refuses bad event lists and unknown fields', async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    for (const [body, path] of [
      [{ url: 'https://h.example.com', events: ['invoice.created'] }, 'events[0]'],
      [{ url: 'https://h.example.com', events: [] }, 'events'],
      [{ url: 'https://h.example.com', events: ['invoice.paid', 'invoice.paid'] }, 'events'],
      [{ url: 'https://h.example.com', secret: 'mine' }, 'secret'],
      [{}, 'url'],
    ] as const) {
      const res = await api.post('/api/v1/webhook-endpoints', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(await storedCount(portal)).toBe(0);
  });

  it('refuses plain http to loopback when WEBHOOK_ALLOW_LOOPBACK is off (the default in every mode)', async () => {
    const prod = testApp(db, { env: { NODE_ENV: 'production' } });
    expect(prod.deps.config.webhooks.allowLoopback).toBe(false);
    const portal = newPortalId();
    for (const url of ['http://127.0.0.1:8080/x', 'https://localhost/x', 'https://127.0.0.1/x']) {
      const res = await prod.as(portal).post('/api/v1/webhook-endpoints', { url });
      expect(res.status, url).toBe(400);
      expect(res.body.error.details[0].path).toBe('url');
    }
    expect(await storedCount(portal)).toBe(0);
    expect(testApp(db, { env: { NODE_ENV: 'production', WEBHOOK_ALLOW_LOOPBACK: 'true' } }).deps.config.webhooks.allowLoopback).toBe(true);
  });

  it("keeps portals apart: another portal's endpoint is a 404 and not listed", async () => {
    const owner = t.as(newPortalId());
    const other = t.as(newPortalId());
    const { body } = await owner.post('/api/v1/webhook-endpoints', { url: 'https://h.example.com/a' });
    expect((await other.get('/api/v1/webhook-endpoints')).body.data).toEqual([]);
    expect((await other.delete(`/api/v1/webhook-endpoints/${body.id}`)).status).toBe(404);
    expect((await other.get(`/api/v1/webhook-endpoints/${body.id}/deliveries`)).status).toBe(404);
    expect((await other.get('/api/v1/webhook-endpoints/not-a-uuid/deliveries')).status).toBe(404);
    expect((await owner.get('/api/v1/webhook-endpoints')).body.data).toHaveLength(1);
  });

  it('deletes an endpoint (204, then 404)', async () => {
    const api = t.as(newPortalId());
    const { body } = await api.post('/api/v1/webhook-endpoints', { url: 'https://h.example.com/a' });
    expect((await api.delete(`/api/v1/webhook-endpoints/${body.id}`)).status).toBe(204);
    expect((await api.delete(`/api/v1/webhook-endpoints/${body.id}`)).status).toBe(404);
    expect((await api.get('/api/v1/webhook-endpoints')).body.data).toEqual([]);
  });

  it('needs the settings permission', async () => {
    const api = t.as(newPortalId(), ['invoices:read', 'invoices:write']);
    expect((await api.get('/api/v1/webhook-endpoints')).status).toBe(403);
    const res = await api.post('/api/v1/webhook-endpoints', { url: 'https://h.example.com/a' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('replays an Idempotency-Key with the same endpoint but never the secret', async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    const first = await api.post('/api/v1/webhook-endpoints', { url: 'https://h.example.com/a' }).set('Idempotency-Key', 'ep-1');
    expect(first.status).toBe(201);
    expect(first.body.secret).toMatch(/^whsec_/);
    const again = await api.post('/api/v1/webhook-endpoints', { url: 'https://h.example.com/a' }).set('Idempotency-Key', 'ep-1');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual({ ...first.body, secret: null });
    expect(await storedCount(portal)).toBe(1);
    const stored = await db('idempotency_keys').where({ portal_id: portal, key: 'ep-1' }).first();
    expect(JSON.stringify(stored.response_body)).not.toContain(first.body.secret);
    expect((await api.post('/api/v1/webhook-endpoints', { url: 'https://h.example.com/b' }).set('Idempotency-Key', 'ep-1')).status).toBe(409);
  });

  it(`allows at most ${MAX_WEBHOOK_ENDPOINTS} endpoints per portal`, async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    for (let i = 0; i < MAX_WEBHOOK_ENDPOINTS; i += 1)
      expect((await api.post('/api/v1/webhook-endpoints', { url: `https://h.example.com/${i}` })).status).toBe(201);
    const res = await api.post('/api/v1/webhook-endpoints', { url: 'https://h.example.com/x' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('too_many_webhook_endpoints');
    expect(await storedCount(portal)).toBe(MAX_WEBHOOK_ENDPOINTS);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.as(newPortalId()).get('/api/v1/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/webhook-endpoints', '/api/v1/webhook-endpoints/{id}', '/api/v1/webhook-endpoints/{id}/deliveries']),
    );
  });
});
