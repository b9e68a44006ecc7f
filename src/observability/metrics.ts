/**
 * Prometheus metrics of this process (prom-client). One registry per process, module-level like
 * prom-client's own default: use cases and adapters count what happened without a metrics object
 * threaded through every signature, and `GET /metrics` renders the registry.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();

/** Request latency by route pattern (never the raw path: it may carry ids or hosted-page tokens). */
export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by route pattern, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Calls to HubSpot and Stripe, one per attempt, by outcome (ok, not_found, rate_limited, ...). */
export const vendorCalls = new Counter({
  name: 'vendor_calls_total',
  help: 'HTTP calls to HubSpot and Stripe by vendor and outcome (429s are outcome="rate_limited")',
  labelNames: ['vendor', 'outcome'] as const,
  registers: [registry],
});

/** Background job runs by queue and outcome (completed, failed). */
export const jobRuns = new Counter({
  name: 'job_runs_total',
  help: 'Background job runs by queue and outcome',
  labelNames: ['queue', 'outcome'] as const,
  registers: [registry],
});

/** Jobs waiting per queue; filled at scrape time by the queue that registered a reader. */
export const jobQueueDepth = new Gauge({
  name: 'job_queue_depth',
  help: 'Jobs waiting to run, by queue',
  labelNames: ['queue'] as const,
  registers: [registry],
  async collect() {
    if (!depthReader) return;
    try {
      const depths = await depthReader();
      this.reset();
      for (const [queue, n] of Object.entries(depths)) this.set({ queue }, n);
    } catch {
      // A scrape must not fail because the queue's database is briefly away.
    }
  },
});

export const invoicesFinalized = new Counter({
  name: 'invoices_finalized_total',
  help: 'Invoices finalized (numbers taken) by this process',
  registers: [registry],
});

export const exportsWritten = new Counter({
  name: 'exports_written_total',
  help: 'Accounting export files written completely, by format',
  labelNames: ['format'] as const,
  registers: [registry],
});

let depthReader: (() => Promise<Record<string, number>>) | null = null;

/** The job queue of this process tells the depth gauge how to read its queue sizes. */
export function setJobQueueDepthReader(reader: (() => Promise<Record<string, number>>) | null): void {
  depthReader = reader;
}

let defaultsOn = false;
/** Process metrics (CPU, memory, event loop lag); once per process, from main. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: registry });
}
