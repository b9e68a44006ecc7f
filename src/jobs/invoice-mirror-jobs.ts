/**
 * Wires the HubSpot invoice mirror into a job queue: the job handler, and the periodic sweep that
 * re-enqueues mirrors still due (lost nudges, attempts whose backoff ran out, crashes).
 */
import { z } from 'zod';
import { INVOICE_MIRROR_JOB } from '../app/invoice-mirror-nudge.js';
import type { JobQueue } from '../app/ports/job-queue.js';
import { sweepInvoiceMirrors, syncInvoiceMirror, type MirrorDeps } from '../app/sync-invoice-mirror.js';

const jobPayload = z.object({ portalId: z.number().int().positive(), invoiceId: z.uuid() });

/** Registers the mirror job's handler on the queue. */
export async function registerInvoiceMirrorJobs(deps: MirrorDeps & { jobs: JobQueue }): Promise<void> {
  await deps.jobs.work<object>(INVOICE_MIRROR_JOB, async (payload) => {
    const parsed = jobPayload.safeParse(payload);
    if (!parsed.success) {
      // A malformed job never gets better by retrying.
      deps.logger.error({ payload }, 'dropping a malformed invoice mirror job');
      return;
    }
    await syncInvoiceMirror(deps, parsed.data);
  });
}

/** Default time between sweeps. */
export const MIRROR_SWEEP_INTERVAL_MS = 60_000;

/** Runs the sweep every `intervalMs` (never two at once) until `stop()`; the first run is immediate. */
export function startInvoiceMirrorSweep(
  deps: Pick<MirrorDeps, 'db' | 'clock' | 'logger'> & { jobs: JobQueue },
  intervalMs = MIRROR_SWEEP_INTERVAL_MS,
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = sweepInvoiceMirrors(deps)
      .then((n) => {
        if (n > 0) deps.logger.info({ enqueued: n }, 'invoice mirror sweep enqueued due mirrors');
      })
      .catch((err: unknown) => deps.logger.error({ err }, 'invoice mirror sweep failed'))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
