/**
 * A small stateful Stripe faked at the HTTP boundary with nock (in the spirit of Ghost's
 * stripe-mocker): connected accounts, Checkout Sessions with Stripe's idempotency-key rules, the
 * OAuth endpoints, and signed webhook events built from the sessions it created. Helpers are
 * named by intent; each expects the calls it names and `isDone()` tells whether they happened.
 */
import { randomBytes } from 'node:crypto';
import nock from 'nock';
import Stripe from 'stripe';
import supertest from 'supertest';
import type { Express } from 'express';

/** Where the tests point Stripe (STRIPE_API_BASE_URL). */
export const STRIPE_TEST_API = 'https://api.stripe.test';
export const STRIPE_TEST_WEBHOOK_SECRET = 'whsec_test_secret_for_invoicing';
export const STRIPE_TEST_CLIENT_ID = 'ca_test_invoicing';

/** Stripe settings for testApp's `env`. */
export const STRIPE_ENV = {
  STRIPE_SECRET_KEY: 'sk_test_platform',
  STRIPE_WEBHOOK_SECRET: STRIPE_TEST_WEBHOOK_SECRET,
  STRIPE_CONNECT_CLIENT_ID: STRIPE_TEST_CLIENT_ID,
  STRIPE_API_BASE_URL: STRIPE_TEST_API,
} as const;

/** A Checkout Session as the fake keeps it (Stripe's wire names). */
export interface FakeSession {
  id: string;
  object: 'checkout.session';
  account: string;
  amount_total: number;
  currency: string;
  allowed_payment_method_types: string[];
  metadata: Record<string, string>;
  payment_intent: string;
  payment_status: 'paid' | 'unpaid';
  status: 'open' | 'complete' | 'expired';
  success_url: string;
  cancel_url: string;
  url: string;
  expires_at: number;
  /** The Idempotency-Key it was created with. */
  idempotencyKey: string;
  /** The form fields Stripe received, flat (`line_items[0][price_data][unit_amount]`). */
  params: Record<string, string>;
}

const signer = new Stripe('sk_test_signer');
const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const flat = (body: string): Record<string, string> => Object.fromEntries(new URLSearchParams(body));

/** Options of {@link stripeFake}. */
export interface StripeFakeOptions {
  /**
   * Where the sessions' Checkout pages live: a session's `url` is `${checkoutUrlBase}/${id}`.
   * A browser test points it at a page its own server answers, so no request leaves the machine.
   */
  checkoutUrlBase?: string;
}

/** One fake Stripe per test: its own sessions and idempotency keys. */
export function stripeFake(now: () => Date = () => new Date(), opts: StripeFakeOptions = {}) {
  const checkoutUrlBase = opts.checkoutUrlBase ?? 'https://checkout.stripe.test/c/pay';
  const sessions = new Map<string, FakeSession>();
  const byKey = new Map<string, FakeSession>();
  const scopes: nock.Scope[] = [];
  const track = (s: nock.Scope) => {
    scopes.push(s);
    return s;
  };

  const fake = {
    sessions,
    /** True when every interceptor set up through this fake was used. */
    isDone: () => scopes.every((s) => s.isDone()),
    pending: () => scopes.flatMap((s) => s.pendingMocks()),

    /** Stripe trades `code` for `accountId` (OAuth for Standard accounts). */
    grantsCode(code: string, accountId: string) {
      return track(
        nock(STRIPE_TEST_API)
          .post('/oauth/token', (body: Record<string, string>) => body.grant_type === 'authorization_code' && body.code === code)
          .reply(200, {
            access_token: 'sk_test_unused',
            livemode: false,
            refresh_token: 'rt_unused',
            scope: 'read_write',
            stripe_user_id: accountId,
            token_type: 'bearer',
          }),
      );
    },

    /** Stripe no longer accepts `code`. */
    refusesCode(code: string) {
      return track(
        nock(STRIPE_TEST_API)
          .post('/oauth/token', (body: Record<string, string>) => body.code === code)
          .reply(400, { error: 'invalid_grant', error_description: `Authorization code does not exist: ${code}` }),
      );
    },

    /** Stripe describes the connected account. */
    hasAccount(accountId: string, opts: { chargesEnabled: boolean }) {
      return track(
        nock(STRIPE_TEST_API)
          .get(`/v1/accounts/${accountId}`)
          .reply(200, { id: accountId, object: 'account', type: 'standard', charges_enabled: opts.chargesEnabled, details_submitted: true }),
      );
    },

    /** Stripe revokes the platform's access to the account. */
    deauthorizes(accountId: string) {
      return track(
        nock(STRIPE_TEST_API)
          .post('/oauth/deauthorize', (body: Record<string, string>) => body.stripe_user_id === accountId && body.client_id === STRIPE_TEST_CLIENT_ID)
          .reply(200, { stripe_user_id: accountId }),
      );
    },

    /**
     * Stripe creates Checkout Sessions on `accountId`, `times` requests in all. A repeated
     * Idempotency-Key returns the first response; the same key with other parameters is
     * Stripe's 400 idempotency_error.
     */
    createsSessions(accountId: string, times = 1) {
      return track(
        nock(STRIPE_TEST_API, { reqheaders: { 'stripe-account': accountId } })
          .post('/v1/checkout/sessions')
          .times(times)
          .reply(function (_uri, body) {
            const params = flat(typeof body === 'string' ? body : new URLSearchParams(body as Record<string, string>).toString());
            const key = String(this.req.headers['idempotency-key'] ?? '');
            const earlier = byKey.get(key);
            if (earlier) {
              if (JSON.stringify(earlier.params) !== JSON.stringify(params)) {
                return [
                  400,
                  {
                    error: {
                      type: 'idempotency_error',
                      message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.',
                    },
                  },
                ];
              }
              return [200, wire(earlier)];
            }
            const session: FakeSession = {
              id: id('cs_test'),
              object: 'checkout.session',
              account: accountId,
              amount_total: Number(params['line_items[0][price_data][unit_amount]']),
              currency: params['line_items[0][price_data][currency]']!,
              allowed_payment_method_types: Object.keys(params)
                .filter((k) => k.startsWith('allowed_payment_method_types['))
                .map((k) => params[k]!),
              metadata: Object.fromEntries(
                Object.entries(params)
                  .filter(([k]) => k.startsWith('metadata['))
                  .map(([k, v]) => [k.slice(9, -1), v]),
              ),
              payment_intent: id('pi'),
              payment_status: 'unpaid',
              status: 'open',
              success_url: params.success_url!,
              cancel_url: params.cancel_url!,
              url: '',
              expires_at: Math.floor(now().getTime() / 1000) + 24 * 3600,
              idempotencyKey: key,
              params,
            };
            session.url = `${checkoutUrlBase}/${session.id}`;
            sessions.set(session.id, session);
            if (key) byKey.set(key, session);
            return [200, wire(session)];
          }),
      );
    },

    /** The only session created so far (fails the test when there is not exactly one). */
    onlySession(): FakeSession {
      if (sessions.size !== 1) throw new Error(`expected one Checkout Session, the fake has ${sessions.size}`);
      return [...sessions.values()][0]!;
    },

    /** A Stripe event about the account, as the Connect webhook delivers it. */
    event(type: string, account: string | null, object: Record<string, unknown>, created = now()) {
      return {
        id: id('evt'),
        object: 'event',
        api_version: '2026-09-30.endive',
        type,
        ...(account ? { account } : {}),
        created: Math.floor(created.getTime() / 1000),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        data: { object },
      };
    },

    /** The buyer finished Checkout: cards are `paid` at once, ACH debits `unpaid` until they settle. */
    sessionCompleted(session: FakeSession, paymentStatus: 'paid' | 'unpaid') {
      return fake.event('checkout.session.completed', session.account, { ...wire(session), status: 'complete', payment_status: paymentStatus });
    },
    asyncSucceeded(session: FakeSession) {
      return fake.event('checkout.session.async_payment_succeeded', session.account, { ...wire(session), status: 'complete', payment_status: 'paid' });
    },
    asyncFailed(session: FakeSession) {
      return fake.event('checkout.session.async_payment_failed', session.account, { ...wire(session), status: 'complete', payment_status: 'unpaid' });
    },
    /** `amountRefunded` is the charge's running total, as Stripe reports it. */
    chargeRefunded(session: FakeSession, amountRefunded: number) {
      return fake.event('charge.refunded', session.account, {
        id: `ch_${session.payment_intent.slice(3)}`,
        object: 'charge',
        amount: session.amount_total,
        amount_refunded: amountRefunded,
        currency: session.currency,
        payment_intent: session.payment_intent,
        refunded: amountRefunded === session.amount_total,
        metadata: session.metadata,
      });
    },
    accountUpdated(account: string, chargesEnabled: boolean) {
      return fake.event('account.updated', account, { id: account, object: 'account', charges_enabled: chargesEnabled });
    },
    deauthorized(account: string, created = now()) {
      return fake.event('account.application.deauthorized', account, { id: 'ca_test_invoicing', object: 'application', name: 'Invoices' }, created);
    },
  };
  return fake;
}

function wire(s: FakeSession) {
  const { idempotencyKey: _k, params: _p, account: _a, ...rest } = s;
  return { ...rest, mode: 'payment' };
}

/** The Stripe-Signature header Stripe would send for `payload`. */
export function stripeSignature(payload: string, secret = STRIPE_TEST_WEBHOOK_SECRET, timestamp?: number): string {
  return signer.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) });
}

/** Delivers `event` to /webhooks/stripe, signed (or with the header given). */
export function deliver(app: Express, event: object, opts: { secret?: string; signature?: string; body?: string } = {}) {
  const payload = opts.body ?? JSON.stringify(event);
  return supertest(app)
    .post('/webhooks/stripe')
    .set('Content-Type', 'application/json; charset=utf-8')
    .set('Stripe-Signature', opts.signature ?? stripeSignature(payload, opts.secret))
    .send(payload);
}
