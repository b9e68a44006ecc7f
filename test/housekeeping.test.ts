import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { runHousekeeping } from '../src/app/housekeeping.js';
import { registerHousekeepingJobs, scheduleHousekeeping } from '../src/jobs/housekeeping-jobs.js';
import { InProcessQueue } from '../src/jobs/in-process-queue.js';
import { cronEvery } from '../src/jobs/pg-boss-queue.js';
import { newPortalId, testApp } from './helpers/app.js';
import { useTestApp } from './helpers/use-test-app.js';

// Issue 13, finding 10: the tables that grow with traffic are purged by a scheduled job, and
// /oauth/install is rate limited per IP.

const t = useTestApp({ clock: '2026-11-28T12:00:00Z' });
const { db, clock } = t;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(clock.now().getTime() - ms);

/** One old and one fresh row of every purged kind; returns a reader of which are still there. */
async function seed() {
  const tag = randomUUID().slice(0, 8);
  const portal = newPortalId();
  const ids = { oldState: `old-${tag}`, freshState: `fresh-${tag}` };
  await db('oauth_states').insert([
    { id: ids.oldState, expires_at: ago(1000) },
    { id: ids.freshState, expires_at: ago(-5 * 60_000) },
  ]);
  const key = (k: string, age: number) => ({
    portal_id: portal,
    actor_kind: 'user',
    actor_user_id: '42',
    key: k,
    request_hash: 'h',
    response_status: 201,
    created_at: ago(age),
  });
  await db('idempotency_keys').insert([key('old', 25 * HOUR), key('fresh', 23 * HOUR)]);
  const event = (source: string, id: string, age: number) => ({ source, event_id: `${id}-${tag}`, portal_id: portal, type: 't', processed_at: ago(age) });
  await db('processed_events').insert([
    event('hubspot', 'hs-old', 8 * DAY),
    event('hubspot', 'hs-fresh', 6 * DAY),
    event('stripe', 'st-old', 31 * DAY),
    event('stripe', 'st-fresh', 29 * DAY),
  ]);
  // API_TOKEN_MAX_DAYS is 365 by default: a revocation goes after 366 days.
  await db('revoked_api_tokens').insert([
    { portal_id: portal, jti: `old-${tag}`, revoked_at: ago(367 * DAY) },
    { portal_id: portal, jti: `fresh-${tag}`, revoked_at: ago(300 * DAY) },
  ]);
  await db('export_links').insert([
    { portal_id: portal, jti: randomUUID(), created_at: ago(10 * 60_000), expires_at: ago(5 * 60_000), consumed_at: null },
    { portal_id: portal, jti: randomUUID(), created_at: ago(60_000), expires_at: ago(-4 * 60_000), consumed_at: null },
  ]);
  return async () => ({
    states: (await db('oauth_states').whereIn('id', [ids.oldState, ids.freshState]).orderBy('id').pluck('id')) as string[],
    keys: (await db('idempotency_keys').where({ portal_id: portal }).orderBy('key').pluck('key')) as string[],
    events: ((await db('processed_events').where({ portal_id: portal }).orderBy('event_id').pluck('event_id')) as string[]).map((e) =>
      e.replace(`-${tag}`, ''),
    ),
    links: ((await db('export_links').where({ portal_id: portal }).pluck('expires_at')) as Date[]).map((d) => new Date(d) > clock.now()),
    revoked: ((await db('revoked_api_tokens').where({ portal_id: portal }).orderBy('jti').pluck('jti')) as string[]).map((j) => j.replace(`-${tag}`, '')),
  });
}

describe('housekeeping', () => {
  it('deletes rows past their retention and keeps the fresh ones', async () => {
    const remaining = await seed();
    const run = await runHousekeeping(t.deps);
    expect(await remaining()).toEqual({
      states: [expect.stringMatching(/^fresh-/)],
      keys: ['fresh'],
      events: ['hs-fresh', 'st-fresh'],
      links: [true],
      revoked: ['fresh'],
    });
    for (const n of Object.values(run)) expect(n).toBeGreaterThanOrEqual(1);
    // Running again deletes nothing more of these.
    await runHousekeeping(t.deps);
    expect((await remaining()).keys).toEqual(['fresh']);
  });

  it('works through more rows than one batch', async () => {
    const portal = newPortalId();
    const rows = Array.from({ length: 7 }, (_, i) => ({
      portal_id: portal,
      actor_kind: 'api_token',
      actor_user_id: '',
      key: `k${i}`,
      request_hash: 'h',
      response_status: 200,
      created_at: ago(2 * DAY),
    }));
    await db('idempotency_keys').insert(rows);
    await runHousekeeping(t.deps, { batch: 3 });
    expect(await db('idempotency_keys').where({ portal_id: portal })).toHaveLength(0);
  });

  it('a purged OAuth state is refused like a used one', async () => {
    const res = await supertest(t.app).get('/oauth/install');
    const state = new URL(res.headers.location as string).searchParams.get('state')!;
    await db('oauth_states')
      .where({ id: state.split('.')[0] })
      .update({ expires_at: ago(1) });
    await runHousekeeping(t.deps);
    expect(await db('oauth_states').where({ id: state.split('.')[0] })).toHaveLength(0);
  });

  it('runs as a scheduled job on the in-process queue', async () => {
    const remaining = await seed();
    const jobs = new InProcessQueue({ logger: pino({ level: 'silent' }) });
    await registerHousekeepingJobs({ ...t.deps, jobs });
    await scheduleHousekeeping({ jobs });
    try {
      expect(await jobs.runDue()).toBe(1);
      expect((await remaining()).keys).toEqual(['fresh']);
    } finally {
      await jobs.stop();
    }
  });

  it('schedules pg-boss with a cron expression for the period', () => {
    expect(cronEvery(60)).toBe('0 * * * *');
    expect(cronEvery(15)).toBe('*/15 * * * *');
    expect(cronEvery(1440)).toBe('0 0 * * *');
    expect(() => cronEvery(90)).toThrow(/whole hours/);
  });
});

describe('/oauth/install rate limit', () => {
  it('answers 429 with Retry-After once an address has used its budget', async () => {
    const limited = testApp(db, { clock: clock.now, env: { OAUTH_INSTALL_RATE_LIMIT_PER_MINUTE: '3' } });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await supertest(limited.app).get('/oauth/install')).status);
    expect(statuses).toEqual([302, 302, 302, 429]);
    const refused = await supertest(limited.app).get('/oauth/install');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The rest of the service is not limited by it.
    expect((await supertest(limited.app).get('/healthz')).status).toBe(200);
  });

  it('defaults to 30 a minute, configurable', () => {
    expect(testApp(db, { env: { OAUTH_INSTALL_RATE_LIMIT_PER_MINUTE: '30' } }).deps.config.oauthInstallRateLimitPerMinute).toBe(30);
  });
});
