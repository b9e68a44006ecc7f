/**
 * Wires outbound webhooks into a job queue: the delivery job (drains due deliveries), the overdue
 * job (emits `invoice.overdue`), and the schedule that enqueues both periodically. The outbox rows
 * are written by database triggers, outside any use case, so nothing nudges the queue after a
 * commit: the schedule's short delivery interval is what bounds the latency. Every process runs
 * the schedule; the queue keeps one waiting job per name (singleton key), and leases keep two
 * workers off one delivery, so several processes cooperate instead of duplicating work.
 */
import { deliverDueWebhooks, WEBHOOK_DELIVERY_JOB, type DeliveryOptions, type WorkerDeps } from '../app/deliver-webhooks.js';
import type { Deps } from '../app/deps.js';
import { emitOverdueEvents, WEBHOOK_OVERDUE_JOB } from '../app/emit-overdue-events.js';
import type { JobQueue } from '../app/ports/job-queue.js';

type WebhookJobDeps = WorkerDeps & { jobs: JobQueue };

/**
 * Registers both handlers. `abort()` (at shutdown, before the queue stops) cuts requests in
 * flight and hands their deliveries back, so stopping never waits on a slow receiver.
 */
export async function registerWebhookJobs(deps: WebhookJobDeps, opts: Omit<DeliveryOptions, 'signal'> = {}): Promise<{ abort(): void }> {
  const shutdown = new AbortController();
  await deps.jobs.work<object>(WEBHOOK_DELIVERY_JOB, async () => {
    const run = await deliverDueWebhooks(deps, { ...opts, signal: shutdown.signal });
    if (run.attempted > 0) deps.logger.info(run, 'webhook deliveries attempted');
  });
  await deps.jobs.work<object>(WEBHOOK_OVERDUE_JOB, async () => {
    const emitted = await emitOverdueEvents(deps);
    if (emitted > 0) deps.logger.info({ emitted }, 'invoice.overdue events emitted');
  });
  return { abort: () => shutdown.abort() };
}

/** Default time between delivery runs. */
export const WEBHOOK_DELIVERY_INTERVAL_MS = 2_000;
/** Default time between overdue scans: an invoice becomes overdue at most this late after midnight. */
export const WEBHOOK_OVERDUE_INTERVAL_MS = 15 * 60_000;

/** Enqueues the delivery job every `deliveryMs` and the overdue job every `overdueMs` (both at once first) until `stop()`. */
export function startWebhookSchedule(
  deps: Pick<Deps, 'logger'> & { jobs: JobQueue },
  intervals: { deliveryMs?: number; overdueMs?: number } = {},
): { stop(): void } {
  const enqueue = (name: string) => {
    deps.jobs.enqueue(name, {}, { singletonKey: name }).catch((err: unknown) => deps.logger.warn({ err, job: name }, 'could not enqueue a webhook job'));
  };
  const timers = [
    setInterval(() => enqueue(WEBHOOK_DELIVERY_JOB), intervals.deliveryMs ?? WEBHOOK_DELIVERY_INTERVAL_MS),
    setInterval(() => enqueue(WEBHOOK_OVERDUE_JOB), intervals.overdueMs ?? WEBHOOK_OVERDUE_INTERVAL_MS),
  ];
  for (const t of timers) t.unref();
  enqueue(WEBHOOK_OVERDUE_JOB);
  enqueue(WEBHOOK_DELIVERY_JOB);
  return {
    stop() {
      for (const t of timers) clearInterval(t);
    },
  };
}
