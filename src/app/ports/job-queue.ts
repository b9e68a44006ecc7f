/**
 * Background jobs: a named queue of JSON payloads, run by workers with retries and backoff.
 * pg-boss implements it on PostgreSQL (src/jobs/pg-boss-queue.ts), an in-process runner on PGlite
 * (src/jobs/in-process-queue.ts). Jobs are at-least-once: a handler may run twice for one
 * enqueue (a retry after a crash), so handlers are idempotent.
 */

/** Options of one enqueue. */
export interface EnqueueOptions {
  /**
   * At most one waiting job per key (plus the one running): a second enqueue with the same key
   * while one waits is dropped, so repeated nudges for one record collapse into one run.
   */
  singletonKey?: string;
  /** Run no sooner than this many milliseconds from now. */
  startAfterMs?: number;
}

/** Runs one job. Throwing fails the attempt: the queue retries it later with backoff. */
export type JobHandler<T> = (payload: T) => Promise<void>;

/** The background job queue use cases nudge and workers drain (pg-boss or in-process). */
export interface JobQueue {
  enqueue(name: string, payload: object, opts?: EnqueueOptions): Promise<void>;
  /** Registers the handler of a queue (before or after start). */
  work<T extends object>(name: string, handler: JobHandler<T>): Promise<void>;
  start(): Promise<void>;
  /**
   * Enqueues `name` (empty payload) every `everyMinutes` minutes from now on, at most one waiting
   * at a time. pg-boss keeps the schedule in the database, so several processes run it once per
   * period; the in-process queue uses a timer of this process.
   */
  schedule(name: string, everyMinutes: number): Promise<void>;
  /** Jobs waiting per queue name (for the queue-depth metric). */
  depths?(): Promise<Record<string, number>>;
  /** Stops taking jobs and waits for running ones (bounded). */
  stop(): Promise<void>;
}
