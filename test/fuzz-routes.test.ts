import fc from 'fast-check';
import type { Knex } from 'knex';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPortalId, testApp } from './helpers/app.js';
import { openTestDb } from './helpers/db.js';
import { draftBody } from './helpers/factories.js';

// Issue 13, finding 6: random and hostile bodies, query strings and headers at the main routes
// never get a 5xx, and a refused request changes nothing in the database.

let db: Knex;
let t: ReturnType<typeof testApp>;
let portal: number;
let api: ReturnType<ReturnType<typeof testApp>['as']>;
let draft: { id: string; version: number };
let openInvoice: { id: string };
/** Open, and voided by the first void the fuzzer gets through (later voids are refused). */
let voidTarget: { id: string };
/** The hosted page token of `openInvoice`. */
let token: string;

beforeAll(async () => {
  db = await openTestDb();
  // Stripe configured (and unreachable), so its routes answer as in production, not 503.
  t = testApp(db, {
    env: {
      STRIPE_SECRET_KEY: 'sk_test_fuzz',
      STRIPE_WEBHOOK_SECRET: 'whsec_fuzz',
      STRIPE_CONNECT_CLIENT_ID: 'ca_fuzz',
      STRIPE_API_BASE_URL: 'http://127.0.0.1:9',
    },
  });
  portal = newPortalId();
  api = t.as(portal);
  draft = (await api.post('/api/v1/invoices', draftBody())).body;
  const toOpen = (await api.post('/api/v1/invoices', draftBody())).body;
  openInvoice = (await api.post(`/api/v1/invoices/${toOpen.id}/finalize`)).body;
  const toVoid = (await api.post('/api/v1/invoices', draftBody())).body;
  voidTarget = (await api.post(`/api/v1/invoices/${toVoid.id}/finalize`)).body;
  token = /\/i\/([^/?#]+)/.exec((openInvoice as unknown as { hostedUrl: string }).hostedUrl)![1]!;
}, 180_000);
afterAll(() => db.destroy());

/** Everything of the portal that a request could change, as one comparable value. */
async function portalState(): Promise<string> {
  const tables = ['invoices', 'invoice_events', 'payments', 'portal_settings', 'webhook_endpoints', 'saved_views', 'idempotency_keys', 'user_permissions'];
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await db(table).where({ portal_id: portal }).select('*');
    parts.push(JSON.stringify(rows));
  }
  parts.push(JSON.stringify(await db('portals').where({ id: portal }).select('*')));
  return parts.join('\n');
}

const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '',
    '\u0000',
    '\ud800',
    '9999-12-31',
    '0000-00-00',
    '2026-13-01',
    '2026-02-30',
    '-1',
    '1e309',
    '99999999999999999999999',
    'NaN',
    '__proto__',
    'constructor',
    "' OR 1=1 --",
    '../../etc/passwd',
    '%00',
    'a'.repeat(5000),
    '[',
    '{"a":',
    'null',
  ),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308, null, true, [], {}),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A body: random JSON, a valid draft with one field replaced by something hostile, or raw text. */
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .tuple(
      fc.constantFrom(...Object.keys(draftBody()), 'version', 'amount', 'method', 'receivedOn', 'url', 'events', 'source', 'name', 'timeZone', 'prefix'),
      hostileValue,
    )
    .map(([k, v]) => JSON.stringify({ ...draftBody(), version: draft.version, [k]: v })),
  fc.dictionary(hostileText, hostileValue, { maxKeys: 5 }).map((v) => JSON.stringify(v)),
  hostileText,
  fc.constantFrom(65, 1000, 100_000).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  // Dates at and beyond the edges, with every payment term.
  fc
    .tuple(
      fc.constantFrom('invoiceDate', 'dueDate'),
      fc.constantFrom('9999-12-31', '0001-01-01', '1999-12-31', '2199-12-31', '2200-01-01', '275760-09-13', '2026-02-29'),
      fc.constantFrom('due_on_receipt', 'net_15', 'net_30', 'net_45', 'net_60', 'custom'),
    )
    .map(([field, date, paymentTerms]) => JSON.stringify({ ...draftBody(), version: draft.version, paymentTerms, [field]: date })),
);

const QUERY_NAMES: string[] = [
  'view',
  'status',
  'currency',
  'dueFrom',
  'dueTo',
  'minBalance',
  'objectType',
  'objectId',
  'q',
  'sort',
  'limit',
  'cursor',
  'asOf',
  'from',
  'to',
  'format',
  'code',
  'state',
  'error',
];
/** Every UTF-8 byte percent-encoded (a lone surrogate becomes U+FFFD's bytes, as a browser sends it). */
const percent = (text: string) => Array.from(Buffer.from(text, 'utf8'), (b) => `%${b.toString(16).padStart(2, '0')}`).join('');
/** Already encoded, some of it malformed on purpose: what no encoder produces but a client can send. */
const rawQueryPart = fc.constantFrom('%', '%zz', '%ED%A0%80', '%C0%AF', '%FF', '+', '[]', 'a[b]=c', 'a[][]=1');
const queryPart = fc.oneof(hostileText.map(percent), rawQueryPart);
const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), queryPart), queryPart), { maxLength: 5 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

const HEADER_NAMES = [
  'Idempotency-Key',
  'X-HubSpot-Signature-v3',
  'X-HubSpot-Request-Timestamp',
  'X-HubSpot-Signature',
  'X-HubSpot-Signature-Version',
  'Stripe-Signature',
  'Accept',
];
/** Header values must be representable on the wire: printable ASCII here. */
const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 }),
  fc.constantFrom('', '0', '-1', '99999999999999', 'v3', 'v1'),
);
// Arbitrary header names (RFC 9110 token characters), minus the ones that frame the message
// itself: a wrong Content-Length or Host makes a broken HTTP request, not a hostile header.
const FRAMING = new Set(['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade', 'te', 'trailer', 'keep-alive', 'content-type']);
const tokenChar = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~".split(''));
const anyHeaderName = fc
  .oneof(
    fc.string({ unit: tokenChar, minLength: 1, maxLength: 40 }),
    fc.constantFrom(
      'Authorization',
      'Cookie',
      'X-Forwarded-For',
      'X-Forwarded-Host',
      'X-Forwarded-Proto',
      'Origin',
      'Referer',
      'Range',
      'If-None-Match',
      'Accept-Encoding',
      'Accept-Language',
      'X-Request-Id',
      'X-HTTP-Method-Override',
    ),
  )
  .filter((name) => !FRAMING.has(name.toLowerCase()));
const headers = fc.dictionary(fc.oneof(fc.constantFrom(...HEADER_NAMES), anyHeaderName), headerValue, { maxKeys: 4 });

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const WRITES: Array<[Method, () => string]> = [
  ['post', () => '/api/v1/invoices'],
  ['patch', () => `/api/v1/invoices/${draft.id}`],
  ['post', () => `/api/v1/invoices/${openInvoice.id}/payments`],
  ['put', () => '/api/v1/settings'],
  ['post', () => '/api/v1/webhook-endpoints'],
  ['post', () => '/api/v1/views'],
  ['put', () => '/api/v1/users/7'],
  ['post', () => '/api/v1/exports/links'],
  ['post', () => '/api/v1/stripe/connect'],
  // State transitions: on a draft, on an open invoice, on one that gets voided once.
  ['post', () => `/api/v1/invoices/${openInvoice.id}/finalize`],
  ['post', () => `/api/v1/invoices/${draft.id}/resync`],
  ['post', () => `/api/v1/invoices/${openInvoice.id}/resync`],
  ['post', () => `/api/v1/invoices/${voidTarget.id}/void`],
  ['post', () => `/api/v1/invoices/${draft.id}/void`],
  ['put', () => '/api/v1/users/7/permissions'],
];

/** Path ids: real ones of other kinds, random UUIDs and hostile text (percent-encoded). */
const pathId = fc.oneof(
  fc.uuid(),
  fc.constantFrom('0', '-1', 'null', 'undefined', '%00', '..', '%2e%2e', '00000000-0000-0000-0000-000000000000', 'a'.repeat(300)),
  hostileText.filter((x) => x.length > 0).map(percent),
);
/** DELETE routes, with ids that name nothing of this portal (a success here would be a bug). */
const DELETES = [
  (id: string) => `/api/v1/invoices/${id}`,
  (id: string) => `/api/v1/views/${id}`,
  (id: string) => `/api/v1/webhook-endpoints/${id}`,
  (id: string) => `/api/v1/invoices/${id}/finalize`,
  (id: string) => `/api/v1/invoices/${id}/void`,
  (id: string) => `/api/v1/invoices/${id}/resync`,
  (id: string) => `/api/v1/invoices/${id}/payments`,
];
/** Hosted pages (the buyer's side, public): a real token or anything else in the path. */
const HOSTED_READS = [
  (tk: string) => `/i/${tk}`,
  (tk: string) => `/i/${tk}/invoice.pdf`,
  (tk: string) => `/i/${tk}/paid`,
  (tk: string) => `/exports/download/${tk}`,
];
/** Record reads: the CRM is unreachable in this file, so a valid request is a 502 upstream_error. */
const RECORD_READS = [
  (id: string) => `/api/v1/records/deals/${id}/quotes`,
  (id: string) => `/api/v1/records/${id}/${id}/invoices`,
  (id: string) => `/api/v1/records/deals/${id}/invoices`,
  (id: string) => `/api/v1/records/contacts/${id}/line-items`,
  (id: string) => `/api/v1/records/${id}/1/line-items`,
];
/** A form body as a browser (or anyone) posts it to the pay route. */
const formBody = fc.oneof(
  fc.dictionary(fc.oneof(fc.constant('amount'), hostileText), hostileText, { maxKeys: 4 }).map((o) => new URLSearchParams(o).toString()),
  hostileText,
  fc.constantFrom('amount=1e309', 'amount=-1', 'amount=0.001', 'amount=%ZZ', 'amount[]=1&amount[]=2', 'a=1&'.repeat(50)),
);
const UNAUTHENTICATED_WRITES = ['/webhooks/hubspot', '/webhooks/stripe'];
const READS = [
  () => '/api/v1/invoices',
  () => `/api/v1/invoices/${openInvoice.id}/events`,
  () => '/api/v1/reports/aging',
  () => '/api/v1/exports/batches',
  () => '/api/v1/views',
  () => '/api/v1/users',
  () => '/api/v1/exports/csv',
  () => '/api/v1/webhook-endpoints',
  () => '/oauth/callback',
  () => '/stripe/oauth/callback',
  () => '/api/v1/stripe/connection',
  () => '/api/v1/settings',
  () => '/api/v1/users/7/permissions',
  () => `/api/v1/invoices/${draft.id}`,
  () => `/api/v1/webhook-endpoints/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}/deliveries`,
  () => '/oauth/install',
];

function assertNoServerError(res: supertest.Response, what: string) {
  expect(res.status, `${what} -> ${res.status} ${res.text.slice(0, 500)}`).toBeLessThan(500);
}

describe('fuzz: hostile input never gets a 5xx, and a refused request changes nothing', () => {
  it('authenticated writes with hostile bodies and headers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...WRITES), body, headers, async ([method, path], text, extra) => {
        const before = await portalState();
        const res = await api[method](path()).set('Content-Type', 'application/json').set(extra).send(text);
        assertNoServerError(res, `${method.toUpperCase()} ${path()} ${JSON.stringify(extra)} ${text.slice(0, 300)}`);
        if (res.status >= 400) expect(await portalState(), `${method.toUpperCase()} ${path()} ${text.slice(0, 300)} changed the database`).toBe(before);
      }),
      { numRuns: 300 },
    );
  }, 240_000);

  it('unauthenticated writes with hostile bodies and headers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...UNAUTHENTICATED_WRITES), body, headers, async (path, text, extra) => {
        const before = await portalState();
        const res = await supertest(t.app).post(path).set('Content-Type', 'application/json').set(extra).send(text);
        assertNoServerError(res, `POST ${path} ${JSON.stringify(extra)} ${text.slice(0, 300)}`);
        expect(await portalState()).toBe(before);
      }),
      { numRuns: 150 },
    );
  }, 240_000);

  it('reads with hostile query strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...READS), query, headers, async (path, qs, extra) => {
        const before = await portalState();
        const res = await api.get(`${path()}?${qs}`).set(extra);
        assertNoServerError(res, `GET ${path()}?${qs} ${JSON.stringify(extra)}`);
        // A successful export records its batch; anything refused leaves no trace.
        if (res.status >= 400) expect(await portalState(), `GET ${path()}?${qs} changed the database`).toBe(before);
      }),
      { numRuns: 300 },
    );
  }, 240_000);

  it('DELETE routes and transitions with ids that name nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...DELETES), pathId, headers, fc.constantFrom<Method>('delete', 'post'), async (path, id, extra, method) => {
        const before = await portalState();
        const res = await api[method](path(id)).set(extra);
        assertNoServerError(res, `${method.toUpperCase()} ${path(id)} ${JSON.stringify(extra)}`);
        expect(await portalState(), `${method.toUpperCase()} ${path(id)} changed the database`).toBe(before);
      }),
      { numRuns: 80 },
    );
  }, 240_000);

  it('hosted pages and the pay route with hostile tokens, forms and headers', async () => {
    const tokenArb = fc.oneof(fc.constant(token), pathId, fc.constant(`${token}x`));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...HOSTED_READS), tokenArb, query, headers, async (path, tk, qs, extra) => {
        const before = await portalState();
        const res = await supertest(t.app)
          .get(`${path(tk)}?${qs}`)
          .set(extra);
        assertNoServerError(res, `GET ${path(tk)}?${qs} ${JSON.stringify(extra)}`);
        expect(await portalState()).toBe(before);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(tokenArb, formBody, headers, async (tk, form, extra) => {
        const before = await portalState();
        const res = await supertest(t.app).post(`/i/${tk}/pay`).set(extra).set('Content-Type', 'application/x-www-form-urlencoded').send(form);
        assertNoServerError(res, `POST /i/${tk}/pay ${JSON.stringify(extra)} ${form.slice(0, 300)}`);
        // The portal has no Stripe account: nothing may be paid or recorded.
        expect(await portalState()).toBe(before);
      }),
      { numRuns: 60 },
    );
  }, 240_000);

  it('record reads with hostile object types, ids, queries and headers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...RECORD_READS), pathId, query, headers, async (path, id, qs, extra) => {
        const before = await portalState();
        const res = await api.get(`${path(id)}?${qs}`).set(extra);
        // Only the unreachable CRM (by construction here) may answer 502; never any other 5xx.
        if (!(res.status === 502 && res.body?.error?.code === 'upstream_error')) assertNoServerError(res, `GET ${path(id)}?${qs} ${JSON.stringify(extra)}`);
        expect(await portalState()).toBe(before);
      }),
      { numRuns: 100 },
    );
  }, 240_000);
});
