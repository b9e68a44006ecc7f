import type { Express } from 'express';
import type { Knex } from 'knex';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { newPortalId, testApp, type Api, type TestApp } from './app.js';
import { openTestDb } from './db.js';

// Types come from testApp's signature, so production modules are imported in app.ts only.
type BuildOptions = NonNullable<Parameters<typeof testApp>[1]>;
type Scopes = NonNullable<Parameters<TestApp['as']>[1]>;

/** What a test file may change about the app {@link useTestApp} builds. */
export interface TestAppOptions {
  /**
   * Where the test clock starts (ISO). The clock is put back there before every test, so a test
   * that moves it does not move the next one. Without it the clock follows the wall clock until
   * a test sets it (and goes back to the wall clock before the next test).
   */
  clock?: string;
  /** Extra environment for the app's config (e.g. STRIPE_ENV, HUBSPOT_LIVE_ENV). */
  env?: Record<string, string>;
  /** The CRM port (default: one that fails every call, so no test reaches HubSpot by accident). */
  crm?: BuildOptions['crm'];
  /** The job queue (default: none, as when jobs run elsewhere). */
  jobs?: BuildOptions['jobs'];
  /** The logger (default: silent). */
  logger?: BuildOptions['logger'];
  /** The DNS resolver that verifies domains (default: none; test/fakes/dns-resolver.ts has a fake). */
  resolver?: BuildOptions['resolver'];
  /**
   * Block every outbound connection except to this machine, so an HTTP call that no nock fake
   * answers fails instead of reaching a real vendor; fakes are cleared after each test.
   */
  offline?: boolean;
}

/** A clock tests can move; `reset` puts it back where the file said it starts. */
export interface TestClock {
  now: () => Date;
  set: (iso: string) => void;
  reset: () => void;
}

/** What {@link useTestApp} hands a test file: valid inside tests and hooks, not at import time. */
export interface TestAppHandle {
  /** The test database; a stand-in that may be taken at import time (`const { db } = useTestApp()`). */
  readonly db: Knex;
  readonly app: Express;
  readonly deps: TestApp['deps'];
  readonly clock: TestClock;
  /** A request helper authenticated as `userId` of `portalId` (all scopes by default). */
  as(portalId: number, scopes?: Scopes, userId?: string): Api;
  /** A fresh portal no other test uses, and its all-scopes request helper. */
  portal(): { portalId: number; api: Api };
}

function testClock(start?: string): TestClock {
  let pinned: Date | null = start ? new Date(start) : null;
  return {
    now: () => pinned ?? new Date(),
    set: (iso) => {
      pinned = new Date(iso);
    },
    reset: () => {
      pinned = start ? new Date(start) : null;
    },
  };
}

/**
 * The setup every API test file repeats, as vitest hooks: the test database (PostgreSQL from
 * TEST_DATABASE_URL, migrated once by global-setup, or a fresh migrated PGlite), the app built
 * with fakes (an unreachable CRM, silent logs) and a movable clock; the database is closed after
 * the file. Tests do not share rows because each takes a fresh portal, so no table is emptied.
 * Call it once at the top of a test file.
 */
export function useTestApp(opts: TestAppOptions = {}): TestAppHandle {
  const clock = testClock(opts.clock);
  let db: Knex | undefined;
  let built: TestApp | undefined;
  const ready = (): TestApp => {
    if (!built) throw new Error('useTestApp: the app exists only inside tests and hooks');
    return built;
  };

  beforeAll(async () => {
    db = await openTestDb();
    built = testApp(db, {
      clock: clock.now,
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.crm ? { crm: opts.crm } : {}),
      ...(opts.jobs ? { jobs: opts.jobs } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.resolver ? { resolver: opts.resolver } : {}),
    });
    if (opts.offline) {
      nock.disableNetConnect();
      nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    }
  });
  beforeEach(() => {
    clock.reset();
  });
  // vitest runs after-hooks in reverse order: a file's own afterEach still sees its pending fakes.
  afterEach(() => {
    if (opts.offline) nock.cleanAll();
  });
  afterAll(async () => {
    if (opts.offline) {
      nock.cleanAll();
      nock.enableNetConnect();
    }
    await db?.destroy();
  });

  const realDb = (): Knex => {
    if (!db) throw new Error('useTestApp: the database exists only inside tests and hooks');
    return db;
  };
  // Forwards calls and properties to the database opened in beforeAll, so test files keep their
  // `db(...)` and `db.raw(...)` lines and can take `db` from the handle at import time.
  const lazyDb = new Proxy(function lazyKnex() {} as unknown as Knex, {
    apply: (_target, _this, args: unknown[]) => Reflect.apply(realDb() as unknown as (...a: unknown[]) => unknown, realDb(), args),
    get: (_target, prop) => {
      const value: unknown = Reflect.get(realDb(), prop);
      return typeof value === 'function' ? value.bind(realDb()) : value;
    },
  });

  return {
    db: lazyDb,
    get app() {
      return ready().app;
    },
    get deps() {
      return ready().deps;
    },
    clock,
    as: (portalId, scopes, userId) => ready().as(portalId, scopes, userId),
    portal() {
      const portalId = newPortalId();
      return { portalId, api: ready().as(portalId) };
    },
  };
}
