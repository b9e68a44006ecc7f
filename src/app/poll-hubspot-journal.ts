import type { Knex } from 'knex';
import { findPortalInstall } from '../db/hubspot-install-repo.js';
import { advanceJournalOffset, readJournalOffset } from '../db/journal-offsets-repo.js';
import { claimEvent } from '../db/processed-events-repo.js';
import type { Deps } from './deps.js';
import type { AppLifecycleEvent, HubSpotJournalPort, JournalEntry } from './ports/hubspot-journal.js';
import { uninstallPortal } from './uninstall-portal.js';

/** Job name of the journal poll (one waiting job at a time: see src/jobs/hubspot-journal-jobs.ts). */
export const HUBSPOT_JOURNAL_JOB = 'hubspot.journal.poll';
/** The journal this service reads: HubSpot's global one, every portal the app is installed in. */
export const GLOBAL_JOURNAL = 'global';
/** Entries read per run at most: a backlog drains over several runs instead of one long one. */
export const JOURNAL_ENTRIES_PER_RUN = 100;

/** What one poll did. */
export interface JournalPollResult {
  /** Entries applied (their offset is now stored). */
  entries: number;
  /** Portals marked uninstalled by an APP_UNINSTALL. */
  uninstalled: number;
  /** Lifecycle events not acted on: installs, repeats, unknown portals, uninstalls older than the current install. */
  skipped: number;
  /** Events of other kinds seen in the entries. */
  other: number;
}

type PollDeps = Pick<Deps, 'db' | 'clock' | 'logger'> & { journal: HubSpotJournalPort };

/**
 * Reads HubSpot's webhooks journal from the stored offset and applies each entry's app lifecycle
 * events: APP_UNINSTALL runs uninstallPortal(). An entry's effects and the move of the offset past
 * it commit in one transaction, so a failure (HubSpot unreachable, the database refusing) leaves
 * the offset where it was and the next poll reads the same entry again; each uninstall is also
 * claimed in the processed-event ledger, so an entry read twice (a journal re-read from its
 * earliest entry) changes nothing the second time. Throws on the first failure, after committing
 * the entries before it.
 */
export async function pollHubSpotJournal(deps: PollDeps, opts: { maxEntries?: number; journalName?: string } = {}): Promise<JournalPollResult> {
  const name = opts.journalName ?? GLOBAL_JOURNAL;
  const result: JournalPollResult = { entries: 0, uninstalled: 0, skipped: 0, other: 0 };
  // `stored` is what the offset row holds (the compare-and-set expects it); `cursor` is what
  // HubSpot is asked for. They differ only after a restart from the earliest entry.
  let stored = await readJournalOffset(deps.db, name);
  let cursor = stored;
  let restarted = false;
  for (let i = 0; i < (opts.maxEntries ?? JOURNAL_ENTRIES_PER_RUN); i += 1) {
    const entry = await deps.journal.next(cursor);
    if (entry === 'unknown_offset') {
      // The stored offset expired (the service was down longer than the journal keeps entries):
      // start again from the earliest entry; the ledger skips what was applied before. Once per
      // run, so a journal that answers this way for every offset cannot loop.
      if (restarted || cursor === null) break;
      deps.logger.warn({ offset: cursor }, 'hubspot journal no longer knows the stored offset; reading again from its earliest entry');
      restarted = true;
      cursor = null;
      continue;
    }
    if (!entry) break;
    await applyEntry(deps, name, stored, entry, result);
    stored = cursor = entry.offset;
  }
  return result;
}

async function applyEntry(deps: PollDeps, name: string, from: string | null, entry: JournalEntry, result: JournalPollResult): Promise<void> {
  const now = deps.clock();
  const counts = await deps.db.transaction(async (trx) => {
    const c = { uninstalled: 0, skipped: 0 };
    for (const event of entry.lifecycleEvents) {
      if (await applyLifecycleEvent(trx, deps.clock, entry.offset, event)) c.uninstalled += 1;
      else c.skipped += 1;
    }
    // Compare-and-set: another process that applied this entry first makes this one roll back.
    if (!(await advanceJournalOffset(trx, name, from, entry.offset, now))) {
      throw new Error('the HubSpot journal offset moved under this poll (another process is polling); stopping this run');
    }
    return c;
  });
  result.entries += 1;
  result.uninstalled += counts.uninstalled;
  result.skipped += counts.skipped;
  result.other += entry.otherEvents;
  if (entry.otherEvents > 0)
    deps.logger.info({ offset: entry.offset, other: entry.otherEvents }, 'hubspot journal entry held events this service does not act on');
}

/** True when the event uninstalled a portal. */
async function applyLifecycleEvent(trx: Knex.Transaction, clock: () => Date, offset: string, event: AppLifecycleEvent): Promise<boolean> {
  // Installs arrive through the OAuth callback, which stores the tokens; the journal adds nothing.
  if (event.action !== 'APP_UNINSTALL') return false;
  const install = await findPortalInstall(trx, event.portalId, { forUpdate: true });
  // A portal that never installed (unknown, or only an API token's) has nothing to uninstall.
  if (!install?.installedAt) return false;
  // An uninstall older than the current install (the portal reinstalled before this poll) must
  // not undo the reinstall.
  if (event.occurredAt && install.installedAt.getTime() > event.occurredAt.getTime()) return false;
  const key = `journal:${event.portalId}:${event.action}:${event.occurredAt?.getTime() ?? offset}`;
  if (!(await claimEvent(trx, { source: 'hubspot', eventId: key, portalId: event.portalId, type: event.action }, clock()))) return false;
  return uninstallPortal({ db: trx, clock }, event.portalId);
}
