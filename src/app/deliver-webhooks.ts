/**
 * The webhook delivery worker: takes due deliveries from the outbox (leased, so workers in several
 * processes never send one delivery at once), POSTs each event, signed, to its endpoint with a
 * timeout, and records the attempt: 2xx delivered; anything else (status, timeout, refused
 * connection, redirect) is retried with backoff until the attempts run out, then failed.
 *
 * What an attempt records for the tenant is a coarse category only (`http_<status>`, `timeout`,
 * `refused_address`, `network_error`; the database allows nothing else): socket errors such as
 * ECONNREFUSED would let a tenant scan the service's network through its endpoint URL. The detail
 * goes to the log.
 *
 * At least once: a worker that dies after the receiver got the request but before recording it
 * leaves the lease to run out, and the delivery is sent again with the same event id
 * (`Invoicing-Event-Id`), which receivers use to drop duplicates. Order is not guaranteed.
 */
import { randomUUID } from 'node:crypto';
import { claimDueDeliveries, recordAttempt, releaseLeases, type AttemptResult, type ClaimedDelivery } from '../db/webhook-deliveries-repo.js';
import { hostedUrl } from '../domain/invoice.js';
import { WEBHOOK_MAX_ATTEMPTS, webhookRetryDelayMs, webhookUrlProblem } from '../domain/webhooks.js';
import type { Deps } from './deps.js';
import { WebhookSendError, type WebhookFailureCategory, type WebhookHttpPort } from './ports/webhook-http.js';
import { configuredSecretBox } from './secret-box.js';
import { openEndpointSecret } from './webhook-endpoints.js';
import { webhookSignature } from './webhook-signature.js';

/** The job that drains due deliveries (src/jobs/webhook-jobs.ts). */
export const WEBHOOK_DELIVERY_JOB = 'webhook-deliver';

/** How a delivery run behaves (timeouts, batch sizes, retry schedule, shutdown). */
export interface DeliveryOptions {
  /** A receiver slower than this fails the attempt. Default 10 s. */
  timeoutMs?: number;
  /** Deliveries claimed and sent at once. Default 16. */
  batchSize?: number;
  /** Batches per run at most (the next run continues). Default 20. */
  maxBatches?: number;
  /** How long a claim holds a delivery. Default the timeout plus a minute. */
  leaseMs?: number;
  /** Attempts before a delivery fails for good. Default 8. */
  maxAttempts?: number;
  /** Delay after failed attempt n (1-based). Default `webhookRetryDelayMs`. */
  retryDelayMs?: (attempt: number) => number;
  /**
   * Aborted at shutdown: requests in flight are cut, nothing is recorded for them, and their
   * leases are given back, so the next worker sends them at once.
   */
  signal?: AbortSignal;
  /**
   * Only these portals' deliveries. A worker serves every portal; tests that share a database
   * with other test files limit it to their own portals.
   */
  portalIds?: readonly number[];
}

/** What one run did: attempts made, and how each ended. */
export interface DeliveryRun {
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/** What the delivery worker needs: the database, and the HTTP client that calls receivers. */
export type WorkerDeps = Pick<Deps, 'db' | 'clock' | 'logger' | 'config'> & { webhookHttp: WebhookHttpPort };

/** Sends every due delivery (bounded by `maxBatches`); returns what happened. */
export async function deliverDueWebhooks(deps: WorkerDeps, opts: DeliveryOptions = {}): Promise<DeliveryRun> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const batchSize = opts.batchSize ?? 16;
  const leaseMs = opts.leaseMs ?? timeoutMs + 60_000;
  const run: DeliveryRun = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
  for (let batch = 0; batch < (opts.maxBatches ?? 20) && !opts.signal?.aborted; batch += 1) {
    const leaseId = randomUUID();
    const now = deps.clock();
    const claimed = await claimDueDeliveries(deps.db, {
      now,
      leaseUntil: new Date(now.getTime() + leaseMs),
      leaseId,
      limit: batchSize,
      ...(opts.portalIds ? { portalIds: opts.portalIds } : {}),
    });
    if (claimed.length === 0) break;
    const results = await Promise.all(claimed.map((d) => deliverOne(deps, d, leaseId, { ...opts, timeoutMs })));
    for (const outcome of results) {
      if (outcome === null) continue;
      run.attempted += 1;
      run[outcome] += 1;
    }
    if (opts.signal?.aborted) {
      // Deliveries cut short still carry this lease: hand them back rather than wait for it to run out.
      await releaseLeases(deps.db, leaseId);
      break;
    }
    if (claimed.length < batchSize) break;
  }
  return run;
}

/** The JSON body of an event: the envelope every receiver parses. */
export function eventBody(deps: Pick<WorkerDeps, 'config'>, d: ClaimedDelivery): string {
  return JSON.stringify({
    id: d.eventId,
    type: d.eventType,
    occurredAt: d.occurredAt.toISOString(),
    portalId: d.portalId,
    data: { invoice: { ...d.payload, hostedUrl: hostedUrl({ domain: d.invoiceDomain, publicToken: d.invoicePublicToken }, deps.config.publicBaseUrl) } },
  });
}

async function deliverOne(
  deps: WorkerDeps,
  d: ClaimedDelivery,
  leaseId: string,
  opts: DeliveryOptions & { timeoutMs: number },
): Promise<AttemptResult['outcome'] | null> {
  const attempt = d.attempts + 1;
  const attemptedAt = deps.clock();
  const started = performance.now();
  let httpStatus: number | null = null;
  let error: AttemptError | null = null;
  let detail: string | null = null;
  // Checked again at send time: an endpoint stored under another configuration (loopback allowed in
  // development, a database copied to production) must not be called.
  const urlProblem = webhookUrlProblem(d.url, { allowLoopback: deps.config.webhooks.allowLoopback });
  try {
    if (urlProblem) throw new WebhookSendError('refused_address', `the endpoint URL is not allowed: it ${urlProblem}`);
    const secret = openEndpointSecret(configuredSecretBox(deps.config), d.portalId, d.endpointId, d.secretSealed);
    const body = eventBody(deps, d);
    const res = await deps.webhookHttp.post({
      url: d.url,
      body,
      timeoutMs: opts.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'hubspot-invoicing-webhooks/1',
        'invoicing-event-id': d.eventId,
        'invoicing-event-type': d.eventType,
        'invoicing-delivery-attempt': String(attempt),
        'invoicing-signature': webhookSignature(secret, body, attemptedAt),
      },
    });
    httpStatus = res.status;
    if (res.status < 200 || res.status >= 300) error = `http_${res.status}`;
  } catch (err) {
    if (opts.signal?.aborted) return null;
    error = failureCategory(err);
    detail = err instanceof WebhookSendError ? err.detail : String((err as Error)?.message ?? err).slice(0, 500);
  }
  if (opts.signal?.aborted) return null;
  const outcome: AttemptResult['outcome'] = error === null ? 'delivered' : attempt >= (opts.maxAttempts ?? WEBHOOK_MAX_ATTEMPTS) ? 'failed' : 'retrying';
  const now = deps.clock();
  const nextAttemptAt = outcome === 'retrying' ? new Date(now.getTime() + (opts.retryDelayMs ?? webhookRetryDelayMs)(attempt)) : null;
  const durationMs = performance.now() - started;
  const held = await recordAttempt(
    deps.db,
    { portalId: d.portalId, endpointId: d.endpointId, eventId: d.eventId, leaseId },
    { attempt, attemptedAt, durationMs, httpStatus, error, outcome, nextAttemptAt },
    now,
  );
  const log = { portalId: d.portalId, endpointId: d.endpointId, eventId: d.eventId, type: d.eventType, attempt, httpStatus, error, detail };
  if (!held) deps.logger.warn(log, 'webhook delivery finished after its lease was taken over; another worker owns it');
  else if (outcome === 'failed') deps.logger.warn(log, 'webhook delivery failed for good');
  else if (outcome === 'retrying') deps.logger.info({ ...log, nextAttemptAt }, 'webhook delivery failed; will retry');
  return outcome;
}

/** What an attempt records as its error: one of the coarse categories a tenant may see. */
type AttemptError = WebhookFailureCategory | `http_${number}`;

function failureCategory(err: unknown): WebhookFailureCategory {
  // Anything that is not the client's own verdict (a secret that does not open) is still
  // shown as coarse as a network failure; the log has the detail.
  return err instanceof WebhookSendError ? err.category : 'network_error';
}
