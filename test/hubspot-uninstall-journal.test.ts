import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { pino } from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollHubSpotJournal } from '../src/app/poll-hubspot-journal.js';
import { findPortalInstall } from '../src/db/hubspot-install-repo.js';
import { HubSpotJournalAdapter, readJournalFile } from '../src/integrations/hubspot/journal-adapter.js';
import { fixedClock } from './helpers/app.js';
import { appOnSandbox } from './helpers/crm-sandbox.js';
import { openTestDb } from './helpers/db.js';
import { installedPortal } from './helpers/hubspot-install.js';

let db: Knex;
let t: Awaited<ReturnType<typeof appOnSandbox>>;
// Wall-clock time: the sandbox dates its journal events with the real clock.
const clock = fixedClock(new Date().toISOString());
const logger = pino({ level: 'silent' });
let journal: HubSpotJournalAdapter;

beforeAll(async () => {
  db = await openTestDb();
  t = await appOnSandbox(db, { portalCount: 12, clock: clock.now });
  journal = new HubSpotJournalAdapter({ baseUrl: t.sandbox.url, clientId: 'sandbox-client', clientSecret: 'sandbox-client-secret', logger });
  expect(await journal.ensureLifecycleSubscription()).toBe('created');
});
afterAll(async () => {
  await t.sandbox.close();
  await db.destroy();
});

/** Each test reads the same sandbox journal under its own offset row, from the earliest entry. */
function poller() {
  const journalName = `test-${randomUUID()}`;
  return {
    poll: (maxEntries?: number) => pollHubSpotJournal({ db, clock: clock.now, logger, journal }, { journalName, ...(maxEntries ? { maxEntries } : {}) }),
    offset: async () =>
      ((await db('hubspot_journal_offsets').where({ journal: journalName }).first('last_offset')) as { last_offset: string } | undefined)?.last_offset ?? null,
    setOffset: (offset: string) => db('hubspot_journal_offsets').insert({ journal: journalName, last_offset: offset, updated_at: clock.now() }),
  };
}

const statusOf = async (portalId: number) => (await findPortalInstall(db, portalId))?.status;
/** Uninstalls through the sandbox's HTTP endpoint, as `npm start` users do. */
const uninstall = async (portalId: number) => expect((await supertest(t.sandbox.url).post(`/sandbox/portals/${portalId}/uninstall`)).status).toBe(204);
const latestOffset = () => t.sandbox.store.journal.latest()!.offset;

describe('HubSpot webhooks journal: app lifecycle', () => {
  it('subscribes to lifecycle events once', async () => {
    expect(await journal.ensureLifecycleSubscription()).toBe('exists');
    expect(t.sandbox.store.journal.subscriptions).toEqual([
      expect.objectContaining({ subscriptionType: 'APP_LIFECYCLE_EVENT', actions: ['APP_INSTALL', 'APP_UNINSTALL'] }),
    ]);
  });

  it('uninstalls the portal on APP_UNINSTALL and stores the offset; a second poll applies nothing', async () => {
    const [portal, other] = [t.nextPortal(), t.nextPortal()];
    const p = poller();
    await uninstall(portal);
    expect(await statusOf(portal)).toBe('active');

    const first = await p.poll();
    expect(first.uninstalled).toBeGreaterThanOrEqual(1);
    expect(await statusOf(portal)).toBe('uninstalled');
    expect(await statusOf(other)).toBe('active');
    expect(await p.offset()).toBe(latestOffset());
    expect((await findPortalInstall(db, portal))?.refreshTokenSealed).toBeNull();

    const again = await p.poll();
    expect(again).toEqual({ entries: 0, uninstalled: 0, skipped: 0, other: 0 });
    expect(await p.offset()).toBe(latestOffset());

    // A later uninstall is the only thing the next poll sees.
    await uninstall(other);
    expect(await p.poll()).toEqual({ entries: 1, uninstalled: 1, skipped: 0, other: 0 });
    expect(await statusOf(other)).toBe('uninstalled');
  });

  it('applies an uninstall once: a journal read again from the start does not undo a reinstall', async () => {
    const portal = t.nextPortal();
    await uninstall(portal);
    await poller().poll();
    expect(await statusOf(portal)).toBe('uninstalled');
    clock.set(new Date(Date.now() + 1000).toISOString());
    await installedPortal(t.deps, portal);
    expect(await statusOf(portal)).toBe('active');

    // Another reader (a fresh offset row) replays the whole journal, this uninstall included.
    const replay = await poller().poll();
    expect(replay.uninstalled).toBe(0);
    expect(await statusOf(portal)).toBe('active');
  });

  it('does not let an uninstall older than the current install undo it', async () => {
    const portal = t.nextPortal();
    const p = poller();
    await p.poll();
    await uninstall(portal);
    // Reinstalled before the poll saw the uninstall.
    clock.set(new Date(Date.now() + 1000).toISOString());
    await installedPortal(t.deps, portal);
    expect(await p.poll()).toEqual({ entries: 1, uninstalled: 0, skipped: 1, other: 0 });
    expect(await statusOf(portal)).toBe('active');
  });

  it('leaves the offset where it was when an entry cannot be read, and applies it on the next poll', async () => {
    const [a, b] = [t.nextPortal(), t.nextPortal()];
    const p = poller();
    await p.poll();
    const before = await p.offset();
    await uninstall(a);
    const firstNew = latestOffset();
    await uninstall(b);
    // One entry per run here, so the first new entry is applied and stored on its own.
    await p.poll(1);
    expect(await p.offset()).toBe(firstNew);
    expect(before).not.toBe(firstNew);
    expect(await statusOf(a)).toBe('uninstalled');

    // The second one's file download fails: nothing changes, the offset stays.
    t.sandbox.store.journal.failNextFileFetches(1);
    await expect(p.poll()).rejects.toThrow(/HTTP 503/);
    expect(await p.offset()).toBe(firstNew);
    expect(await statusOf(b)).toBe('active');

    expect(await p.poll()).toEqual({ entries: 1, uninstalled: 1, skipped: 0, other: 0 });
    expect(await statusOf(b)).toBe('uninstalled');
    expect(await p.offset()).toBe(latestOffset());
  });

  it('reads again from the earliest entry when HubSpot no longer knows the stored offset, applying nothing twice', async () => {
    const portal = t.nextPortal();
    await uninstall(portal);
    await poller().poll();
    const p = poller();
    await p.setOffset(randomUUID());
    const run = await p.poll();
    expect(run.uninstalled).toBe(0);
    expect(run.entries).toBeGreaterThan(0);
    expect(await p.offset()).toBe(latestOffset());
  });

  it('refuses to poll with wrong app credentials, storing nothing', async () => {
    const wrong = new HubSpotJournalAdapter({ baseUrl: t.sandbox.url, clientId: 'sandbox-client', clientSecret: 'not-the-secret', logger });
    const p = poller();
    await expect(pollHubSpotJournal({ db, clock: clock.now, logger, journal: wrong }, { journalName: 'never-used' })).rejects.toThrow(
      /token was refused with HTTP 400/,
    );
    expect(await p.offset()).toBeNull();
  });
});

describe('journal files', () => {
  it('reads lifecycle events from the shapes a file may have and counts the rest', () => {
    const uninstall = { subscriptionType: 'APP_LIFECYCLE_EVENT', action: 'APP_UNINSTALL', portalId: 42, occurredAt: 1_790_000_000_000 };
    expect(readJournalFile(uninstall)).toEqual({
      lifecycleEvents: [{ action: 'APP_UNINSTALL', portalId: 42, occurredAt: new Date(1_790_000_000_000) }],
      otherEvents: 0,
    });
    expect(
      readJournalFile({
        events: [
          { ...uninstall, action: undefined, eventType: 'APP_INSTALL', portalId: '43' },
          { action: 'UPDATE', objectTypeId: '0-3' },
        ],
      }),
    ).toEqual({
      lifecycleEvents: [{ action: 'APP_INSTALL', portalId: 43, occurredAt: new Date(1_790_000_000_000) }],
      otherEvents: 1,
    });
    expect(readJournalFile([{ action: 'APP_UNINSTALL' }, { action: 'APP_UNINSTALL', portalId: -1 }, 'junk'])).toEqual({ lifecycleEvents: [], otherEvents: 3 });
    expect(readJournalFile(null)).toEqual({ lifecycleEvents: [], otherEvents: 0 });
  });
});
