import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { rateLimit } from './rate-limit.js';

function appWith(perMinute: number, now: () => number, maxClients?: number) {
  const app = express();
  app.set('trust proxy', true); // only here, so the test can play several client IPs
  app.use(rateLimit({ perMinute, now, ...(maxClients ? { maxClients } : {}) }));
  app.get('/', (_req, res) => {
    res.send('ok');
  });
  return app;
}

describe('hosted rate limit (token bucket per IP)', () => {
  it('allows a burst of perMinute, then 429 with Retry-After until tokens refill', async () => {
    let t = 0;
    const app = appWith(60, () => t); // one token per second
    const get = (ip = '10.0.0.1') => supertest(app).get('/').set('X-Forwarded-For', ip);
    for (let i = 0; i < 60; i++) expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect((await get('10.0.0.2')).status).toBe(200); // another client has its own bucket
    t += 999;
    expect((await get()).status).toBe(429);
    t += 1;
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    t += 60_000;
    for (let i = 0; i < 60; i++) expect((await get()).status).toBe(200);
  });

  it('says how long to wait at low limits and keeps memory bounded', async () => {
    const t = 0;
    const app = appWith(2, () => t, 10);
    const get = (ip: string) => supertest(app).get('/').set('X-Forwarded-For', ip);
    await get('10.0.0.1');
    await get('10.0.0.1');
    expect((await get('10.0.0.1')).headers['retry-after']).toBe('30');
    for (let i = 0; i < 50; i++) expect((await get(`10.1.0.${i}`)).status).toBe(200);
  });
});
