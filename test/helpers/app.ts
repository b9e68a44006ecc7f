import { randomInt } from 'node:crypto';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { pino, type Logger } from 'pino';
import supertest from 'supertest';
import { createApp } from '../../src/app.js';
import { SCOPES, type Scope } from '../../src/domain/actor.js';
import { issueApiToken } from '../../src/app/api-tokens.js';
import type { Deps, HubSpotServices } from '../../src/app/deps.js';
import type { JobQueue } from '../../src/app/ports/job-queue.js';
import { loadConfig } from '../../src/config.js';
import type { CrmPort } from '../../src/app/ports/crm.js';
import type { TaxRatesPort } from '../../src/app/ports/tax-rates.js';
import type { DomainResolverPort } from '../../src/app/ports/domain-resolver.js';
import { createHubSpotServices } from '../../src/composition/hubspot-services.js';
import { createStripeAdapter } from '../../src/integrations/stripe/stripe-adapter.js';
import { SANDBOX_CLIENT_SECRET } from '../fakes/hubspot-signing.js';
import { unreachableCrm } from '../fakes/unreachable-crm.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** A fresh portal id per test: tests never see each other's rows, even on a shared server. */
export function newPortalId(): number {
  return randomInt(1_000_000, 2 ** 47);
}

/** A test clock that tests can move. */
export function fixedClock(iso = '2026-11-28T12:00:00Z') {
  let now = new Date(iso);
  return {
    now: () => now,
    set: (next: string) => {
      now = new Date(next);
    },
  };
}

/** The app over `db` with a test config, plus helpers to call it as a portal's user. */
export function testApp(
  db: Knex,
  opts: {
    clock?: () => Date;
    crm?: CrmPort;
    taxRates?: TaxRatesPort;
    env?: Record<string, string>;
    jobs?: JobQueue;
    logger?: Logger;
    resolver?: DomainResolverPort;
  } = {},
) {
  const config = loadConfig({
    DATABASE_URL: 'postgres://unused',
    API_TOKEN_SECRET: TEST_SECRET,
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    PUBLIC_BASE_URL: 'https://invoices.test',
    LOG_LEVEL: 'silent',
    // The sandbox's credentials, which the signing fakes use; a real database needs explicit ones.
    HUBSPOT_CLIENT_ID: 'sandbox-client',
    HUBSPOT_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    // Test files install many portals from one address; test/housekeeping.test.ts tests the limit.
    OAUTH_INSTALL_RATE_LIMIT_PER_MINUTE: '100000',
    // e.g. HUBSPOT_CLIENT_ID / HUBSPOT_CLIENT_SECRET / HUBSPOT_API_BASE_URL for live-mode OAuth tests.
    ...opts.env,
  });
  const base: Deps = {
    db,
    config,
    logger: opts.logger ?? pino({ level: 'silent' }),
    clock: opts.clock ?? (() => new Date()),
    crm: opts.crm ?? unreachableCrm,
    ...(opts.taxRates ? { taxRates: opts.taxRates } : {}),
    ...(opts.jobs ? { jobs: opts.jobs } : {}),
    ...(opts.resolver ? { resolver: opts.resolver } : {}),
  };
  // The adapters main.ts builds: HubSpot services always, Stripe when the env has its keys.
  const deps: Deps & { hubspot: HubSpotServices } = {
    ...base,
    hubspot: createHubSpotServices(base),
    ...(config.stripe ? { stripe: createStripeAdapter(config.stripe) } : {}),
  };
  const app: Express = createApp(deps);
  return {
    app,
    deps,
    /** A supertest agent authenticated as `userId` of `portalId`. */
    as(portalId: number, scopes: readonly Scope[] = SCOPES, userId = '1') {
      const token = issueApiToken(TEST_SECRET, { portalId, userId, scopes });
      const auth = (t: supertest.Test) => t.set('Authorization', `Bearer ${token}`);
      const agent = supertest(app);
      return {
        token,
        get: (url: string) => auth(agent.get(url)),
        post: (url: string, body?: object) => auth(agent.post(url)).send(body),
        patch: (url: string, body?: object) => auth(agent.patch(url)).send(body),
        put: (url: string, body?: object) => auth(agent.put(url)).send(body),
        delete: (url: string) => auth(agent.delete(url)),
      };
    },
  };
}

/** The app under test, as {@link testApp} builds it. */
export type TestApp = ReturnType<typeof testApp>;

/** An authenticated request helper of one portal's user (supertest calls with a bearer token). */
export type Api = ReturnType<TestApp['as']>;
