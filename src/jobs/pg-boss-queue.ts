/**
 * JobQueue on PostgreSQL through pg-boss 10: jobs live in the `pgboss` schema of the service's own
 * database, so every process of the service shares them and a crash loses none. Each queue is
 * created with the `stately` policy: per singleton key at most one job waits and one runs, so
 * repeated nudges for one invoice collapse. A failed job is retried by pg-boss with exponential
 * backoff (`retryDelay` doubling) up to `retryLimit` times. pg-boss 10 waits the polling interval
 * between fetches whatever it found, so a worker takes a batch per poll and runs it concurrently.
 */
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { EnqueueOptions, JobHandler, JobQueue } from '../app/ports/job-queue.js';
import { jobRuns } from '../observability/metrics.js';

export interface PgBossQueueOptions {
  connectionString: string;
  logger: Logger;
  /** Schema of pg-boss's tables. Default `pgboss`. */
  schema?: string;
  /** Retries after the first attempt. Default 8. */
  retryLimit?: number;
  /** First retry delay in seconds, doubled each retry. Default 5. */
  retryDelaySeconds?: number;
  /** A running job older than this is failed and retried. Default 900 s. */
  expireInSeconds?: number;
  /** How often the worker fetches (pg-boss 10 waits this long between fetches). Default 2 s. */
  pollingIntervalSeconds?: number;
  /** Jobs fetched per poll and run at once. Default 8. */
  batchSize?: number;
  /** Connections pg-boss keeps. Default 4. */
  poolMax?: number;
}

export class PgBossQueue implements JobQueue {
  private readonly boss: PgBoss;
  private readonly handlers = new Map<string, JobHandler<object>>();
  private readonly queues = new Map<string, Promise<void>>();
  private started = false;

  constructor(private readonly opts: PgBossQueueOptions) {
    this.boss = new PgBoss({
      connectionString: opts.connectionString,
      schema: opts.schema ?? 'pgboss',
      max: opts.poolMax ?? 4,
      application_name: 'invoices-jobs',
    });
    this.boss.on('error', (err: unknown) => opts.logger.error({ err }, 'pg-boss error'));
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    this.started = true;
    for (const [name, handler] of this.handlers) await this.subscribe(name, handler);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // Graceful: running handlers get up to 8 s to finish; pg-boss then closes its own pool.
    await this.boss.stop({ graceful: true, wait: true, timeout: 8_000 });
  }

  /** Jobs waiting per queue (pg-boss's own count: created and retry states), for the queue-depth metric. */
  async depths(): Promise<Record<string, number>> {
    if (!this.started) return {};
    const names = [...this.handlers.keys()];
    const sizes = await Promise.all(names.map((name) => this.boss.getQueueSize(name)));
    return Object.fromEntries(names.map((name, i) => [name, sizes[i]!]));
  }

  async work<T extends object>(name: string, handler: JobHandler<T>): Promise<void> {
    this.handlers.set(name, handler as JobHandler<object>);
    if (this.started) await this.subscribe(name, handler as JobHandler<object>);
  }

  async enqueue(name: string, payload: object, opts: EnqueueOptions = {}): Promise<void> {
    if (!this.started) throw new Error(`job queue not started: cannot enqueue ${name}`);
    await this.ensureQueue(name);
    // null means a job with this singleton key already waits: nothing to add.
    await this.boss.send(name, payload, {
      ...(opts.singletonKey !== undefined ? { singletonKey: opts.singletonKey } : {}),
      ...(opts.startAfterMs ? { startAfter: Math.ceil(opts.startAfterMs / 1000) } : {}),
    });
  }

  async schedule(name: string, everyMinutes: number): Promise<void> {
    if (!this.started) throw new Error(`job queue not started: cannot schedule ${name}`);
    await this.ensureQueue(name);
    // pg-boss's clock monitor sends the job on each cron tick, once across all processes.
    await this.boss.schedule(name, cronEvery(everyMinutes), {}, { singletonKey: name });
  }

  private async subscribe(name: string, handler: JobHandler<object>): Promise<void> {
    await this.ensureQueue(name);
    const options = { pollingIntervalSeconds: this.opts.pollingIntervalSeconds ?? 2, batchSize: this.opts.batchSize ?? 8 };
    await this.boss.work<object>(name, options, async (jobs) => {
      // pg-boss fails or completes a whole batch by the handler's outcome: fail the failed jobs
      // one by one here (they go to retry), and pg-boss completes the rest when this returns.
      await Promise.all(
        jobs.map(async (job) => {
          try {
            await handler(job.data);
            jobRuns.inc({ queue: name, outcome: 'completed' });
          } catch (err) {
            jobRuns.inc({ queue: name, outcome: 'failed' });
            this.opts.logger.warn({ err, job: name, jobId: job.id }, 'job failed; pg-boss will retry it');
            await this.boss.fail(name, job.id, { message: err instanceof Error ? err.message : String(err) });
          }
        }),
      );
    });
  }

  /** pg-boss 10 refuses jobs for a queue that was never created; creating is idempotent. */
  private ensureQueue(name: string): Promise<void> {
    let created = this.queues.get(name);
    if (!created) {
      created = this.boss.createQueue(name, {
        name,
        policy: 'stately',
        retryLimit: this.opts.retryLimit ?? 8,
        retryDelay: this.opts.retryDelaySeconds ?? 5,
        retryBackoff: true,
        expireInSeconds: this.opts.expireInSeconds ?? 900,
      });
      created.catch(() => this.queues.delete(name));
      this.queues.set(name, created);
    }
    return created;
  }
}

/** A cron expression for "every `minutes` minutes" (1-59 minutes, or whole hours up to a day). */
export function cronEvery(minutes: number): string {
  if (Number.isInteger(minutes) && minutes >= 1 && minutes < 60) return minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`;
  const hours = minutes / 60;
  if (Number.isInteger(hours) && hours >= 1 && hours <= 24) return hours === 24 ? '0 0 * * *' : hours === 1 ? '0 * * * *' : `0 */${hours} * * *`;
  throw new Error(`cannot schedule every ${minutes} minutes: use 1-59 minutes or whole hours up to 24`);
}
