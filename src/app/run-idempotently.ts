import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from './errors.js';

/** A response as it was (or will be) sent, stored for replays. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * Fingerprint of a request: a key reused with a different request is refused. Object keys are
 * sorted first, so the same body serialized in another key order is the same request.
 */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(JSON.stringify([method, path, canonical(body ?? null)])).digest('hex');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/**
 * Runs `work` at most once per (portal, key). The key row is inserted in the same transaction as
 * the work and its response, so either both commit or neither does: a retry after a crash
 * re-runs, a retry after success replays. A concurrent duplicate blocks on the key's unique index
 * until the first commits, then replays its response. Errors roll back and leave no key behind.
 */
export async function runIdempotently(
  db: Knex,
  scope: { portalId: number; key: string; hash: string },
  work: (trx: Knex.Transaction) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const trx = await db.transaction();
  try {
    const claimed = await trx('idempotency_keys')
      .insert({ portal_id: scope.portalId, key: scope.key, request_hash: scope.hash, response_status: 0 })
      .onConflict(['portal_id', 'key'])
      .ignore()
      .returning('key');
    if (claimed.length === 0) {
      await trx.rollback();
      return replay(db, scope);
    }
    const response = await work(trx);
    await trx('idempotency_keys')
      .where({ portal_id: scope.portalId, key: scope.key })
      .update({ response_status: response.status, response_body: JSON.stringify(response.body ?? null) });
    await trx.commit();
    return { ...response, replayed: false };
  } catch (err) {
    if (!trx.isCompleted()) await trx.rollback().catch(() => undefined);
    throw err;
  }
}

async function replay(db: Knex, scope: { portalId: number; key: string; hash: string }): Promise<StoredResponse & { replayed: true }> {
  const row = await db('idempotency_keys').where({ portal_id: scope.portalId, key: scope.key }).first();
  if (!row) throw new AppError('idempotency_key_in_use', 'A request with this Idempotency-Key is still in progress; retry shortly');
  if (row.request_hash !== scope.hash) {
    throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request', [
      { path: 'Idempotency-Key', message: 'already used for another request' },
    ]);
  }
  return { status: row.response_status, body: row.response_body, replayed: true };
}
