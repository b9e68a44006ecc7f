/**
 * JobQueue in this process's memory, for PGlite (one process, one connection: no pg-boss). Jobs
 * wait in a list until due; once started, a timer runs due jobs with at most `concurrency` at a
 * time, and a failed job is retried with exponential backoff up to `retryLimit` times, then
 * dropped with an error log. Nothing survives a restart: durable state lives in the database
 * (e.g. invoice_mirrors), and a periodic sweep enqueues again whatever is still due.
 *
 * Tests leave it stopped and drive it with `runDue()`, which runs every due job to completion.
 */
import type { Logger } from 'pino';
import type { EnqueueOptions, JobHandler, JobQueue } from '../app/ports/job-queue.js';
import { jobRuns } from '../observability/metrics.js';

export interface InProcessQueueOptions {
  logger: Logger;
  /** Jobs running at once. Default 4. */
  concurrency?: number;
  /** Retries after the first attempt. Default 8. */
  retryLimit?: number;
  /** Delay before retry `attempt` (1-based), in ms. Default 1 s doubling, at most 5 minutes. */
  backoffMs?: (attempt: number) => number;
  /** Clock in ms; tests move it to make retries due. */
  now?: () => number;
}

interface QueuedJob {
  seq: number;
  name: string;
  payload: object;
  key: string | undefined;
  /** Failed attempts so far. */
  failures: number;
  runAt: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export function defaultBackoffMs(attempt: number): number {
  return Math.min(300_000, 1000 * 2 ** (attempt - 1));
}

export class InProcessQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler<object>>();
  private readonly waiting: QueuedJob[] = [];
  private readonly running = new Set<Promise<void>>();
  /** Keys of running jobs: a job waits while another with its key runs. */
  private readonly runningKeys = new Set<string>();
  private readonly concurrency: number;
  private readonly retryLimit: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly now: () => number;
  private seq = 0;
  private started = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly schedules: NodeJS.Timeout[] = [];

  constructor(private readonly opts: InProcessQueueOptions) {
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.retryLimit = opts.retryLimit ?? 8;
    this.backoffMs = opts.backoffMs ?? defaultBackoffMs;
    this.now = opts.now ?? Date.now;
  }

  async enqueue(name: string, payload: object, opts: EnqueueOptions = {}): Promise<void> {
    const runAt = this.now() + Math.max(0, opts.startAfterMs ?? 0);
    const key = opts.singletonKey === undefined ? undefined : `${name}\u0000${opts.singletonKey}`;
    const twin = key === undefined ? undefined : this.waiting.find((j) => j.key === key);
    if (twin) {
      // One waiting job per key: the earlier start wins, so a nudge brings a scheduled retry forward.
      twin.runAt = Math.min(twin.runAt, runAt);
      twin.payload = payload;
    } else {
      this.waiting.push({ seq: (this.seq += 1), name, payload, key, failures: 0, runAt });
    }
    this.pump();
  }

  /** Jobs waiting (not running) per queue name, for the queue-depth metric. */
  async depths(): Promise<Record<string, number>> {
    const depths: Record<string, number> = Object.fromEntries([...this.handlers.keys()].map((name) => [name, 0]));
    for (const job of this.waiting) depths[job.name] = (depths[job.name] ?? 0) + 1;
    return depths;
  }

  async work<T extends object>(name: string, handler: JobHandler<T>): Promise<void> {
    this.handlers.set(name, handler as JobHandler<object>);
    this.pump();
  }

  async start(): Promise<void> {
    this.started = true;
    this.pump();
  }

  /** Enqueues `name` now and then every `everyMinutes` minutes (a timer of this process). */
  async schedule(name: string, everyMinutes: number): Promise<void> {
    const enqueue = () => {
      this.enqueue(name, {}, { singletonKey: name }).catch((err: unknown) => this.opts.logger.warn({ err, job: name }, 'could not enqueue a scheduled job'));
    };
    const timer = setInterval(enqueue, everyMinutes * 60_000);
    timer.unref();
    this.schedules.push(timer);
    enqueue();
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const t of this.schedules.splice(0)) clearInterval(t);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running]);
  }

  /** Jobs waiting (due or not), for tests and diagnostics. */
  size(): number {
    return this.waiting.length;
  }

  /**
   * Runs due jobs (concurrency-bounded) until none is due, including jobs they enqueue; returns
   * how many attempts ran. Failed jobs are rescheduled by their backoff, so they are not due again
   * until the clock moves.
   */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      const batch = this.takeDue(this.concurrency);
      if (batch.length === 0) {
        if (this.running.size === 0) return ran;
        await Promise.race(this.running);
        continue;
      }
      ran += batch.length;
      await Promise.all(batch.map((job) => this.launch(job)));
    }
  }

  /** Removes up to `max` due jobs with a handler and no running twin, in due order. */
  private takeDue(max: number): QueuedJob[] {
    const now = this.now();
    const due = this.waiting
      .filter((j) => j.runAt <= now && this.handlers.has(j.name) && (j.key === undefined || !this.runningKeys.has(j.key)))
      .sort((a, b) => a.runAt - b.runAt || a.seq - b.seq);
    const taken: QueuedJob[] = [];
    const keys = new Set<string>();
    for (const job of due) {
      if (taken.length >= max) break;
      if (job.key !== undefined && keys.has(job.key)) continue;
      if (job.key !== undefined) keys.add(job.key);
      taken.push(job);
      this.waiting.splice(this.waiting.indexOf(job), 1);
    }
    return taken;
  }

  /** Runs one job; resolves when it has finished (either way). */
  private launch(job: QueuedJob): Promise<void> {
    if (job.key !== undefined) this.runningKeys.add(job.key);
    const run = this.runOnce(job).finally(() => {
      if (job.key !== undefined) this.runningKeys.delete(job.key);
      this.running.delete(run);
      this.pump();
    });
    this.running.add(run);
    return run;
  }

  private async runOnce(job: QueuedJob): Promise<void> {
    const handler = this.handlers.get(job.name)!;
    try {
      await handler(job.payload);
      jobRuns.inc({ queue: job.name, outcome: 'completed' });
    } catch (err) {
      jobRuns.inc({ queue: job.name, outcome: 'failed' });
      job.failures += 1;
      const log = this.opts.logger.child({ job: job.name, attempt: job.failures });
      if (job.failures > this.retryLimit) {
        log.error({ err }, 'job failed; giving up after its retries');
        return;
      }
      const delay = this.backoffMs(job.failures);
      log.warn({ err, retryInMs: delay }, 'job failed; will retry');
      const twin = job.key === undefined ? undefined : this.waiting.find((j) => j.key === job.key);
      // A nudge that arrived meanwhile already waits for this key; it does the retry's work.
      if (!twin) this.waiting.push({ ...job, seq: (this.seq += 1), runAt: this.now() + delay });
    }
  }

  /** When started, runs what is due now and sets a timer for the next due job. */
  private pump(): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const job of this.takeDue(this.concurrency - this.running.size)) void this.launch(job);
    // Due jobs still waiting are held by concurrency or a running twin: a finishing job reschedules.
    const now = this.now();
    const next = this.waiting.filter((j) => j.runAt > now && this.handlers.has(j.name)).reduce((min, j) => Math.min(min, j.runAt), Infinity);
    if (next === Infinity) return;
    this.timer = setTimeout(() => this.pump(), Math.min(MAX_TIMER_MS, Math.max(0, next - this.now())));
    this.timer.unref();
  }
}
