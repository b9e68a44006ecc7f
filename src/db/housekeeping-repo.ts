/**
 * Deletes by age for the housekeeping job: rows that no request can need any more. Every
 * statement deletes at most `batch` rows (the oldest first), so one run never holds locks on a
 * huge set; the caller repeats while a batch comes back full. Counts come from RETURNING, which
 * every driver reports (PGlite does not report affected-row counts).
 */
import type { Db } from './invoices-repo.js';

/** Rows one purge statement deletes at most. */
export const PURGE_BATCH = 5_000;

/**
 * OAuth states (HubSpot install and Stripe connect) past their expiry. A deleted state is refused
 * like a used one, so this cannot let a state be used twice.
 */
export async function purgeExpiredOAuthStates(db: Db, now: Date, batch = PURGE_BATCH): Promise<number> {
  const rows = await db.raw<{ rows: unknown[] }>(
    `DELETE FROM oauth_states WHERE id IN (SELECT id FROM oauth_states WHERE expires_at <= ? ORDER BY expires_at LIMIT ?) RETURNING 1`,
    [now, batch],
  );
  return rows.rows.length;
}

/** Idempotency keys (client keys and signed-request keys) created before `before`. */
export async function purgeIdempotencyKeys(db: Db, before: Date, batch = PURGE_BATCH): Promise<number> {
  // The primary key has four columns: delete by ctid, the row's physical address.
  const rows = await db.raw<{ rows: unknown[] }>(
    `DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?) RETURNING 1`,
    [before, batch],
  );
  return rows.rows.length;
}

/** Processed vendor event ids of `source` recorded before `before` (past the vendor's retries). */
export async function purgeProcessedEvents(db: Db, source: 'hubspot' | 'stripe', before: Date, batch = PURGE_BATCH): Promise<number> {
  const rows = await db.raw<{ rows: unknown[] }>(
    `DELETE FROM processed_events WHERE source = ? AND event_id IN (SELECT event_id FROM processed_events WHERE source = ? AND processed_at < ? ORDER BY processed_at LIMIT ?) RETURNING 1`,
    [source, source, before, batch],
  );
  return rows.rows.length;
}

/** Revocations recorded before `before` (their tokens have expired by then). */
export async function purgeRevokedTokens(db: Db, before: Date, batch = PURGE_BATCH): Promise<number> {
  const rows = await db.raw<{ rows: unknown[] }>(
    `DELETE FROM revoked_api_tokens WHERE ctid IN (SELECT ctid FROM revoked_api_tokens WHERE revoked_at < ? ORDER BY revoked_at LIMIT ?) RETURNING 1`,
    [before, batch],
  );
  return rows.rows.length;
}

/**
 * Export download links past their expiry: the token's own `exp` already refuses them (401)
 * before the row is read, so the row carries no power any more.
 */
export async function purgeExpiredExportLinks(db: Db, now: Date, batch = PURGE_BATCH): Promise<number> {
  const rows = await db.raw<{ rows: unknown[] }>(
    `DELETE FROM export_links WHERE (portal_id, jti) IN (SELECT portal_id, jti FROM export_links WHERE expires_at <= ? ORDER BY expires_at LIMIT ?) RETURNING 1`,
    [now, batch],
  );
  return rows.rows.length;
}
