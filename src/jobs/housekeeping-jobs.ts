/**
 * The housekeeping job (src/app/housekeeping.ts) on the job queue, run every hour: pg-boss's
 * schedule in PostgreSQL mode (once per period across processes), a timer in embedded mode.
 */
import type { Deps } from '../app/deps.js';
import { HOUSEKEEPING_JOB, runHousekeeping } from '../app/housekeeping.js';
import type { JobQueue } from '../app/ports/job-queue.js';

/** Minutes between housekeeping runs. */
export const HOUSEKEEPING_EVERY_MINUTES = 60;

/** Registers the housekeeping worker; call before `jobs.start()`. */
export async function registerHousekeepingJobs(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'logger'> & { jobs: JobQueue }): Promise<void> {
  await deps.jobs.work<object>(HOUSEKEEPING_JOB, async () => {
    const run = await runHousekeeping(deps);
    if (Object.values(run).some((n) => n > 0)) deps.logger.info({ deleted: run }, 'housekeeping deleted old rows');
  });
}

/** Schedules the housekeeping job; call after `jobs.start()`. */
export async function scheduleHousekeeping(deps: { jobs: JobQueue }, everyMinutes = HOUSEKEEPING_EVERY_MINUTES): Promise<void> {
  await deps.jobs.schedule(HOUSEKEEPING_JOB, everyMinutes);
}
