import type { Knex } from 'knex';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPortalId, testApp } from './helpers/app.js';
import { openTestDb } from './helpers/db.js';
import { draftBody } from './helpers/factories.js';

// Issue 13, finding 6: hostile input is a 400 naming the problem, never a 500.

let db: Knex;
let t: ReturnType<typeof testApp>;
beforeAll(async () => {
  db = await openTestDb();
  t = testApp(db);
});
afterAll(() => db.destroy());

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

function expect400(res: supertest.Response, path: string, message?: RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('validation_failed');
  expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  if (message) expect(res.body.error.message).toMatch(message);
}

describe('JSON nesting depth', () => {
  it('answers a 100 000-deep body with 400 on every route, unauthenticated ones included', async () => {
    for (const path of ['/api/v1/invoices', '/webhooks/hubspot', '/webhooks/stripe', '/oauth/install', '/nope']) {
      const res = await supertest(t.app).post(path).set('Content-Type', 'application/json').send(nested(100_000));
      expect400(res, 'body', /nested deeper than 64 levels/);
    }
    const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    expect400(await supertest(t.app).post('/api/v1/invoices').set('Content-Type', 'application/json').send(deepObject), 'body', /nested deeper than 64/);
  });

  it('lets 64 levels through to the route, which judges the body itself', async () => {
    const res = await t
      .as(newPortalId())
      .post('/api/v1/invoices')
      .set('Content-Type', 'application/json')
      .send(`{"lineItems":${nested(63)}}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).not.toMatch(/nested deeper/);
  });
});

describe('invoice and due dates within 2000-2199', () => {
  it('refuses a year 9999 invoice date with net_60 (its due date would be in year 10000) with 400 naming invoiceDate', async () => {
    const api = t.as(newPortalId());
    expect400(await api.post('/api/v1/invoices', draftBody({ invoiceDate: '9999-12-31', paymentTerms: 'net_60' })), 'invoiceDate', /2000-01-01 and 2199-12-31/);
    expect400(await api.post('/api/v1/invoices', draftBody({ invoiceDate: '1999-12-31' })), 'invoiceDate');
    expect400(await api.post('/api/v1/invoices', draftBody({ paymentTerms: 'custom', dueDate: '2200-01-01' })), 'dueDate');
    const draft = await api.post('/api/v1/invoices', draftBody());
    expect400(
      await api.patch(`/api/v1/invoices/${draft.body.id}`, { version: draft.body.version, invoiceDate: '9999-01-01', paymentTerms: 'net_90' }),
      'invoiceDate',
    );
  });

  it('accepts the edges, with the longest terms', async () => {
    const api = t.as(newPortalId());
    expect((await api.post('/api/v1/invoices', draftBody({ invoiceDate: '2199-12-31', paymentTerms: 'net_60' }))).status).toBe(201);
    expect((await api.post('/api/v1/invoices', draftBody({ invoiceDate: '2000-01-01', paymentTerms: 'net_60' }))).status).toBe(201);
  });
});

describe('list cursors validated strictly', () => {
  const UUID = '7d0c2f4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f';
  const impossible = ['2026-13-01T00:00:00.000Z', '2026-02-30T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T23:59:60.000Z'];

  it('invoices: a forged createdAt cursor with an impossible instant is 400 naming cursor', async () => {
    const api = t.as(newPortalId());
    for (const instant of impossible) {
      expect400(await api.get(`/api/v1/invoices?sort=-createdAt&cursor=${b64url(['-createdAt', instant, UUID])}`), 'cursor');
    }
    for (const date of ['2026-13-01', '2026-02-30', '10000-01-01']) {
      expect400(await api.get(`/api/v1/invoices?sort=dueDate&cursor=${b64url(['dueDate', date, UUID])}`), 'cursor');
    }
  });

  it('export batches: a forged cursor with an impossible instant is 400 naming cursor', async () => {
    const api = t.as(newPortalId());
    for (const instant of [...impossible, '1', 'Tue, 01 Dec 2026']) {
      expect400(await api.get(`/api/v1/exports/batches?cursor=${b64url([instant, UUID])}`), 'cursor');
    }
  });

  it('webhook deliveries: a forged cursor with month 13 is 400 naming cursor', async () => {
    const api = t.as(newPortalId());
    const endpoint = await api.post('/api/v1/webhook-endpoints', { url: 'https://hooks.example.com/hook', events: ['invoice.finalized'] });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
    for (const instant of [...impossible, '2026-13-01 00:00:00.000000+00']) {
      expect400(await api.get(`/api/v1/webhook-endpoints/${endpoint.body.id}/deliveries?cursor=${b64url([instant, UUID])}`), 'cursor');
    }
  });
});
