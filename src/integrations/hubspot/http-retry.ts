/**
 * The one way this service talks HTTP to HubSpot's CRM API: per-portal rate limit, a timeout per
 * attempt, retries with exponential backoff and jitter, and HubSpot's error bodies mapped to
 * DomainErrors. Plain `fetch` rather than `@hubspot/api-client`: the adapter needs the raw JSON
 * (validated with zod, never trusted), the `Retry-After` header, a per-attempt AbortSignal and a
 * limiter it controls; the SDK hides all four behind its own deserializer and Bottleneck.
 *
 * Outcomes of one `request`:
 * - 2xx with a JSON body -> `{ status, body }`; a body that is not JSON -> upstream_error.
 * - 404 -> `{ status: 404, body }`: only the caller knows which record was missing.
 * - 401 -> DomainError('hubspot_reauth_required'); 403 MISSING_SCOPES likewise (the app must be
 *   re-authorized with the new scopes). Not retried.
 * - 429 (except the DAILY policy), 5xx, network errors and timeouts -> retried up to `maxRetries`
 *   times, then upstream_error. Other 4xx -> upstream_error at once.
 * - A request marked `idempotent: false` (a create) is retried only after a 429, which HubSpot
 *   answers before doing anything; after a 5xx, a timeout or a network error HubSpot may have
 *   done the work, so it fails at once and the caller decides (look the record up, then retry).
 * Failures are logged with HubSpot's `correlationId` (what HubSpot support asks for). The access
 * token is only ever put in the Authorization header: never in a log line or an error message.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { vendorCalls } from '../../observability/metrics.js';
import { defaultSleep, SlidingWindowLimiter, type RateLimit } from './rate-limiter.js';

export interface HubSpotHttpOptions {
  /** HubSpot API origin, e.g. config.hubspot.apiBaseUrl. */
  baseUrl: string;
  /** A currently valid access token of the portal (asked again for every attempt). */
  accessToken: (portalId: number) => Promise<string>;
  logger: Logger;
  /** Per attempt, headers and body included. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number;
  /**
   * Per-portal request budget. Default 100 per 10 000 ms (HubSpot allows 110 per 10 s). Pass a
   * SlidingWindowLimiter instance to share one budget between several clients of a process.
   */
  limiter?: RateLimit | SlidingWindowLimiter;
  sleep?: (ms: number) => Promise<void>;
  /** Clock for the limiter, in ms. */
  now?: () => number;
}

export interface HubSpotRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  /** Path below the base URL, already encoded, starting with "/". */
  path: string;
  /** Query string without "?", already encoded. */
  query?: string;
  body?: unknown;
  /**
   * False for requests that must not run twice (creates): only a 429 is retried. Default true
   * (reads, batch reads, searches, PATCH/PUT of fixed values).
   */
  idempotent?: boolean;
}

export interface HubSpotResponse {
  status: number;
  body: unknown;
}

/** HubSpot's error body (`{status, message, correlationId, category, policyName?}`), leniently. */
const errorBodySchema = z.object({
  message: z.string().optional(),
  correlationId: z.string().optional(),
  category: z.string().optional(),
  policyName: z.string().optional(),
});
type ErrorBody = z.infer<typeof errorBodySchema>;

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_LIMIT: RateLimit = { max: 100, intervalMs: 10_000 };
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 10_000;
/** A Retry-After longer than this is not worth holding a user's request for. */
const MAX_RETRY_AFTER_MS = 60_000;

/** Why an attempt failed in a way worth retrying. */
interface RetryableFailure {
  reason: string;
  status?: number;
  error?: ErrorBody;
  retryAfterMs?: number;
}

export class HubSpotHttp {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly limiter: SlidingWindowLimiter;

  constructor(private readonly opts: HubSpotHttpOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = opts.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.sleep = opts.sleep ?? defaultSleep;
    const limit = opts.limiter ?? DEFAULT_LIMIT;
    this.limiter =
      limit instanceof SlidingWindowLimiter ? limit : new SlidingWindowLimiter({ ...limit, sleep: this.sleep, ...(opts.now ? { now: opts.now } : {}) });
  }

  async request(portalId: number, req: HubSpotRequest): Promise<HubSpotResponse> {
    const log = this.opts.logger.child({ portalId, method: req.method, path: req.path });
    let last: RetryableFailure = { reason: 'not attempted' };
    let attempts = 0;
    for (let attempt = 0; attempt <= this.maxRetries; attempt += 1) {
      if (attempt > 0) {
        const delay = last.retryAfterMs ?? backoff(attempt);
        log.warn(
          { attempt, status: last.status, reason: last.reason, correlationId: last.error?.correlationId, delayMs: delay },
          'HubSpot request failed; retrying',
        );
        await this.sleep(delay);
      }
      attempts += 1;
      const outcome = await this.attempt(portalId, req, log).catch((err: unknown) => {
        vendorCalls.inc({ vendor: 'hubspot', outcome: err instanceof DomainError && err.code === 'hubspot_reauth_required' ? 'unauthorized' : 'rejected' });
        throw err;
      });
      vendorCalls.inc({ vendor: 'hubspot', outcome: attemptOutcome(outcome) });
      if ('response' in outcome) return outcome.response;
      last = outcome.failure;
      if (last.retryAfterMs !== undefined && last.retryAfterMs > MAX_RETRY_AFTER_MS) break;
      // HubSpot may have done a non-idempotent request that failed this way: never send it twice.
      if (req.idempotent === false && last.status !== 429) break;
    }
    log.error(
      { attempts, status: last.status, reason: last.reason, correlationId: last.error?.correlationId, category: last.error?.category },
      'HubSpot request failed after retries',
    );
    throw upstream(req, `${last.reason} after ${attempts} attempt${attempts === 1 ? '' : 's'}`, last.error);
  }

  /** One try: a response, a retryable failure, or a thrown final error. */
  private async attempt(portalId: number, req: HubSpotRequest, log: Logger): Promise<{ response: HubSpotResponse } | { failure: RetryableFailure }> {
    await this.limiter.acquire(String(portalId));
    const token = await this.opts.accessToken(portalId);
    const url = `${this.baseUrl}${req.path}${req.query ? `?${req.query}` : ''}`;
    const signal = AbortSignal.timeout(this.timeoutMs);
    const started = Date.now();
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method: req.method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
        signal,
      });
      text = await res.text();
    } catch (err) {
      // Only the error's kind: its message can echo the URL, and nothing here needs more.
      const reason = signal.aborted ? `timeout after ${this.timeoutMs} ms` : `network error (${errorName(err)})`;
      return { failure: { reason } };
    }
    log.debug({ status: res.status, ms: Date.now() - started }, 'HubSpot response');

    if (res.ok) {
      try {
        return { response: { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) } };
      } catch {
        log.error({ status: res.status }, 'HubSpot answered with a body that is not JSON');
        throw upstream(req, 'response body is not JSON');
      }
    }
    const error = parseErrorBody(text);
    if (res.status === 404) return { response: { status: 404, body: error ?? null } };
    if (res.status === 401 || (res.status === 403 && error?.category === 'MISSING_SCOPES')) {
      log.warn({ status: res.status, correlationId: error?.correlationId, category: error?.category }, 'HubSpot refused the access token');
      throw new DomainError(
        'hubspot_reauth_required',
        res.status === 401
          ? "HubSpot no longer accepts this app's access for the portal; reconnect the app in HubSpot"
          : 'The app lacks HubSpot scopes needed for this; reconnect the app in HubSpot to grant them',
      );
    }
    if (res.status === 429) {
      if (error?.policyName === 'DAILY') {
        log.error({ status: 429, correlationId: error.correlationId, policyName: error.policyName }, 'HubSpot daily API limit reached');
        throw upstream(req, 'daily API limit reached', error);
      }
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
      return { failure: { reason: 'rate limited (429)', status: 429, error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) } };
    }
    if (res.status >= 500) return { failure: { reason: `status ${res.status}`, status: res.status, error } };
    log.error({ status: res.status, correlationId: error?.correlationId, category: error?.category }, 'HubSpot rejected the request');
    throw upstream(req, `status ${res.status}${error?.message ? `: ${error.message}` : ''}`, error);
  }
}

/** The metric label of one attempt's outcome. */
function attemptOutcome(outcome: { response: HubSpotResponse } | { failure: RetryableFailure }): string {
  if ('response' in outcome) return outcome.response.status === 404 ? 'not_found' : 'ok';
  const { status, reason } = outcome.failure;
  if (status === 429) return 'rate_limited';
  if (status !== undefined) return 'server_error';
  return reason.startsWith('timeout') ? 'timeout' : 'network_error';
}

/** Full-jitter-ish exponential backoff: between half and all of base x 2^(attempt-1), capped. */
function backoff(attempt: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^[0-9]+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function parseErrorBody(text: string): ErrorBody | undefined {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

function upstream(req: HubSpotRequest, what: string, error?: ErrorBody): DomainError {
  const ref = error?.correlationId ? ` (HubSpot correlation id ${error.correlationId})` : '';
  return new DomainError('upstream_error', `HubSpot failed: ${req.method} ${req.path}: ${what}${ref}`);
}
