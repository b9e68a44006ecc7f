import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { metricsApp } from '../src/http/metrics.js';
import { testApp } from './helpers/app.js';
import { useTestApp } from './helpers/use-test-app.js';

// Issue 13, finding 8: /metrics shows every tenant's business counters.
const t = useTestApp();
const METRICS_TOKEN = 'metrics-token-metrics-token-0123456789';

describe('/metrics access', () => {
  it('is not served on the API listener without METRICS_TOKEN', async () => {
    const res = await supertest(t.app).get('/metrics');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('invoices_finalized_total');
  });

  it('is served on the API listener only to Authorization: Bearer $METRICS_TOKEN', async () => {
    const { app } = testApp(t.db, { env: { METRICS_TOKEN } });
    for (const auth of [undefined, 'Bearer wrong-token', `Basic ${METRICS_TOKEN}`, `Bearer ${METRICS_TOKEN}x`]) {
      const req = supertest(app).get('/metrics');
      const res = await (auth === undefined ? req : req.set('Authorization', auth));
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
      expect(res.text).not.toContain('invoices_finalized_total');
    }
    const ok = await supertest(app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('# TYPE invoices_finalized_total counter');
  });

  it('is served without a token on the separate METRICS_PORT listener', async () => {
    const res = await supertest(metricsApp()).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('# TYPE invoices_finalized_total counter');
  });

  it('reads METRICS_PORT and METRICS_TOKEN from the configuration', () => {
    expect(testApp(t.db, { env: { METRICS_PORT: '9464', METRICS_TOKEN } }).deps.config.metrics).toEqual({ port: 9464, token: METRICS_TOKEN });
    expect(t.deps.config.metrics).toEqual({ port: null, token: null });
  });
});
