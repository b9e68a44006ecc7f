import { describe, expect, it } from 'vitest';
import { newPortalId } from './helpers/app.js';
import { draftBody } from './helpers/factories.js';
import { useTestApp } from './helpers/use-test-app.js';
import { invoiceIn } from './helpers/invoices.js';

const t = useTestApp();

describe('Idempotency-Key', () => {
  it('runs concurrent requests with the same key once and gives all of them the same answer', async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    const body = draftBody();
    const results = await Promise.all(Array.from({ length: 8 }, () => api.post('/api/v1/invoices', body).set('Idempotency-Key', 'same-key')));
    const ok = results.filter((r) => r.status === 201);
    // A duplicate that arrives while the first is still running waits for it, then replays.
    expect(ok.length).toBe(8);
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
    expect(ok.filter((r) => r.headers['idempotent-replayed'] === 'true').length).toBe(7);
    expect((await api.get('/api/v1/invoices')).body.data).toHaveLength(1);
  });

  it('records a payment once when the request is retried', async () => {
    const api = t.as(newPortalId());
    const inv = await invoiceIn(api, 'open');
    const pay = () => api.post(`/api/v1/invoices/${inv.id}/payments`, { amount: 1000, method: 'cash' }).set('Idempotency-Key', 'pay-1');
    const [a, b] = [await pay(), await pay()];
    expect(a.body.amountPaid).toBe(1000);
    expect(b.body).toEqual(a.body);
    expect((await api.get(`/api/v1/invoices/${inv.id}`)).body.amountPaid).toBe(1000);
  });

  it('keeps keys per portal', async () => {
    const a = t.as(newPortalId());
    const b = t.as(newPortalId());
    const ra = await a.post('/api/v1/invoices', draftBody()).set('Idempotency-Key', 'k');
    const rb = await b.post('/api/v1/invoices', draftBody()).set('Idempotency-Key', 'k');
    expect(rb.status).toBe(201);
    expect(rb.body.id).not.toBe(ra.body.id);
  });

  it('does not keep a key whose request failed, so a corrected retry runs', async () => {
    const api = t.as(newPortalId());
    const bad = await api.post('/api/v1/invoices', draftBody({ currency: 'XYZ' })).set('Idempotency-Key', 'retry-me');
    expect(bad.status).toBe(400);
    const inv = (await api.post('/api/v1/invoices', draftBody())).body;
    const fin = await api.post(`/api/v1/invoices/${inv.id}/void`).set('Idempotency-Key', 'void-early');
    expect(fin.status).toBe(422);
    await api.post(`/api/v1/invoices/${inv.id}/finalize`);
    expect((await api.post(`/api/v1/invoices/${inv.id}/void`).set('Idempotency-Key', 'void-early')).status).toBe(200);
  });
});
