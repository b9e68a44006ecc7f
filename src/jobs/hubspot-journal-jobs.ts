/**
 * Wires the HubSpot webhooks journal poll into a job queue: the worker applies new journal
 * entries (APP_UNINSTALL -> uninstallPortal), and a schedule enqueues it periodically. One
 * waiting job at a time (singleton key); the stored offset moves by compare-and-set, so two
 * processes polling at once apply each entry once.
 */
import type { Deps } from '../app/deps.js';
import type { JobQueue } from '../app/ports/job-queue.js';
import type { HubSpotJournalPort } from '../app/ports/hubspot-journal.js';
import { HUBSPOT_JOURNAL_JOB, pollHubSpotJournal } from '../app/poll-hubspot-journal.js';

type JournalJobDeps = Pick<Deps, 'db' | 'clock' | 'logger'> & { jobs: JobQueue; journal: HubSpotJournalPort };

/** Default time between polls: an uninstall is noticed at most this late (plus HubSpot's own delay). */
export const HUBSPOT_JOURNAL_INTERVAL_MS = 60_000;

/**
 * Registers the poll handler. The first run also makes sure the lifecycle subscription exists
 * (retried on later runs until it succeeds). A failed poll is logged; its entry is read again
 * next time, since the offset did not move.
 */
export async function registerHubSpotJournalJobs(deps: JournalJobDeps): Promise<void> {
  let subscribed = false;
  await deps.jobs.work<object>(HUBSPOT_JOURNAL_JOB, async () => {
    if (!subscribed) {
      try {
        const outcome = await deps.journal.ensureLifecycleSubscription();
        subscribed = true;
        deps.logger.info({ outcome }, 'hubspot journal: app lifecycle subscription checked');
      } catch (err) {
        deps.logger.warn({ err }, 'hubspot journal: could not check the app lifecycle subscription; polling anyway');
      }
    }
    try {
      const run = await pollHubSpotJournal(deps);
      if (run.entries > 0) deps.logger.info(run, 'hubspot journal entries applied');
    } catch (err) {
      deps.logger.warn({ err }, 'hubspot journal poll failed; the offset stays, the next poll retries');
    }
  });
}

/** Enqueues the poll now and every `intervalMs` until `stop()`. */
export function startHubSpotJournalSchedule(deps: Pick<Deps, 'logger'> & { jobs: JobQueue }, intervalMs = HUBSPOT_JOURNAL_INTERVAL_MS): { stop(): void } {
  const enqueue = () => {
    deps.jobs
      .enqueue(HUBSPOT_JOURNAL_JOB, {}, { singletonKey: HUBSPOT_JOURNAL_JOB })
      .catch((err: unknown) => deps.logger.warn({ err, job: HUBSPOT_JOURNAL_JOB }, 'could not enqueue the hubspot journal poll'));
  };
  const timer = setInterval(enqueue, intervalMs);
  timer.unref();
  enqueue();
  return { stop: () => clearInterval(timer) };
}
