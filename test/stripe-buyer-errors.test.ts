import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { STRIPE_ENV, STRIPE_TEST_API } from './fakes/stripe.js';
import { newPortalId } from './helpers/app.js';
import { openInvoiceOnConnectedPortal } from './helpers/stripe.js';
import { useTestApp } from './helpers/use-test-app.js';

// Issue 13, finding 10: when Stripe fails, the buyer sees a neutral message; the detail is logged.

const lines: string[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  }),
);
const t = useTestApp({ clock: '2026-11-28T12:00:00Z', env: STRIPE_ENV, offline: true, logger });

const DETAIL = 'No such destination: acct_internal_detail_5f3a; request req_SECRET123';

describe('a Stripe failure on the hosted pay route', () => {
  it('shows the buyer a neutral page and keeps the detail in the log', async () => {
    const portal = newPortalId();
    const account = `acct_${portal}`;
    const { token } = await openInvoiceOnConnectedPortal(t.db, t, portal, account);
    nock(STRIPE_TEST_API)
      .post('/v1/checkout/sessions')
      .reply(400, { error: { type: 'invalid_request_error', message: DETAIL } });
    const res = await supertest(t.app).post(`/i/${token}/pay`).set('Host', 'invoices.test').type('form').send({});
    expect(res.status).toBe(502);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('could not start');
    expect(res.text).not.toContain('acct_internal_detail');
    expect(res.text).not.toContain('req_SECRET123');
    expect(res.text).not.toContain('No such destination');
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => JSON.stringify(l).includes('acct_internal_detail'));
    expect(logged, 'the Stripe error is in the log').toBeDefined();
    expect(logged).toMatchObject({ portalId: portal });
  });
});
