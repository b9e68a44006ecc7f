/**
 * Housekeeping: deletes rows that no request can need any more, so the tables that grow with
 * traffic stay bounded. Run by a scheduled job (src/jobs/housekeeping-jobs.ts); every purge is
 * safe to run at any time and twice.
 *
 * Retention, and why (vendor facts and their sources in docs/security.md):
 * - OAuth states: once expired (10 minutes for installs, 15 for Stripe connects). A deleted state
 *   is refused like a used one.
 * - Idempotency keys, client and signed-request keys alike: 24 hours. Clients retry within
 *   minutes; a signed request is refused after 5 minutes anyway.
 * - Processed HubSpot event ids: 7 days (HubSpot retries a webhook up to 10 times over about a
 *   day). Processed Stripe event ids: 30 days (Stripe retries for up to 3 days in live mode, and
 *   an operator can resend older events from the Dashboard).
 * - Token revocations: `API_TOKEN_MAX_DAYS` plus a day after the revocation. A token accepted at
 *   all lives at most that long from its issue, which came before its revocation, so by then it
 *   has expired and is refused for that reason alone.
 * - Export download links: once expired (5 minutes after minting); the link's token is refused
 *   by its own `exp` before its row is read.
 */
import {
  PURGE_BATCH,
  purgeExpiredExportLinks,
  purgeExpiredOAuthStates,
  purgeIdempotencyKeys,
  purgeProcessedEvents,
  purgeRevokedTokens,
} from '../db/housekeeping-repo.js';
import type { Deps } from './deps.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How long each kind of row is kept (ms), see the module comment. */
export const RETENTION = Object.freeze({
  idempotencyKeysMs: 24 * HOUR,
  hubspotEventsMs: 7 * DAY,
  stripeEventsMs: 30 * DAY,
  /** Added to API_TOKEN_MAX_DAYS for revocations (clock skew, the lifetime check's minute). */
  revocationMarginMs: DAY,
});

/** Rows deleted by one run, per kind. */
export interface HousekeepingRun {
  oauthStates: number;
  idempotencyKeys: number;
  hubspotEvents: number;
  stripeEvents: number;
  revokedTokens: number;
  exportLinks: number;
}

/** The job's name in the queue. */
export const HOUSEKEEPING_JOB = 'housekeeping';

/** Repeats a batched purge until a batch comes back short (everything due is gone). */
async function drain(purge: (batch: number) => Promise<number>, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await purge(batch);
    total += n;
    if (n < batch) return total;
  }
}

/** Deletes every row past its retention, in batches; returns how many of each kind went. */
export async function runHousekeeping(deps: Pick<Deps, 'db' | 'clock' | 'config'>, opts: { batch?: number } = {}): Promise<HousekeepingRun> {
  const now = deps.clock();
  const batch = opts.batch ?? PURGE_BATCH;
  const ago = (ms: number) => new Date(now.getTime() - ms);
  return {
    oauthStates: await drain((b) => purgeExpiredOAuthStates(deps.db, now, b), batch),
    idempotencyKeys: await drain((b) => purgeIdempotencyKeys(deps.db, ago(RETENTION.idempotencyKeysMs), b), batch),
    hubspotEvents: await drain((b) => purgeProcessedEvents(deps.db, 'hubspot', ago(RETENTION.hubspotEventsMs), b), batch),
    stripeEvents: await drain((b) => purgeProcessedEvents(deps.db, 'stripe', ago(RETENTION.stripeEventsMs), b), batch),
    revokedTokens: await drain((b) => purgeRevokedTokens(deps.db, ago(deps.config.apiTokenMaxDays * DAY + RETENTION.revocationMarginMs), b), batch),
    exportLinks: await drain((b) => purgeExpiredExportLinks(deps.db, now, b), batch),
  };
}
