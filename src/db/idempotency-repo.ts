import type { Knex } from 'knex';
import type { Db } from './invoices-repo.js';

/**
 * The (portal, actor kind, user, key) an Idempotency-Key request runs under, and the fingerprint
 * of its request. A key is its sender's: another user with the same key runs their own request.
 */
export interface IdempotencyScope {
  portalId: number;
  /** `Actor.kind` of the sender (`user` for a HubSpot card user, `api_token`, ...). */
  actorKind: string;
  /** The sender's user id; null for an actor without one. */
  userId: string | null;
  key: string;
  hash: string;
}

/** The key's primary key columns (a missing user is '' there: key columns cannot be null). */
function keyOf(scope: Pick<IdempotencyScope, 'portalId' | 'actorKind' | 'userId' | 'key'>) {
  return { portal_id: scope.portalId, actor_kind: scope.actorKind, actor_user_id: scope.userId ?? '', key: scope.key };
}

/** A key's row as a later request with the same key finds it. */
export interface StoredKey {
  requestHash: string;
  responseStatus: number;
  responseBody: unknown;
}

/**
 * Inserts the key row inside the command's transaction; false when the key already exists. A
 * concurrent duplicate blocks on the primary key until the first transaction ends, then gets
 * false (committed) or true (rolled back: the key was never used).
 */
export async function claimKey(trx: Knex.Transaction, scope: IdempotencyScope): Promise<boolean> {
  const claimed = await trx('idempotency_keys')
    .insert({ ...keyOf(scope), request_hash: scope.hash, response_status: 0 })
    .onConflict(['portal_id', 'actor_kind', 'actor_user_id', 'key'])
    .ignore()
    .returning('key');
  return claimed.length > 0;
}

/** Stores the response a claimed key replays, in the transaction that claimed it. */
export async function storeResponse(trx: Knex.Transaction, scope: IdempotencyScope, response: { status: number; body: unknown }): Promise<void> {
  await trx('idempotency_keys')
    .where(keyOf(scope))
    .update({ response_status: response.status, response_body: JSON.stringify(response.body ?? null) });
}

/** The committed row of a key, or null when none is visible (the first request is still running). */
export async function findKey(db: Db, scope: Pick<IdempotencyScope, 'portalId' | 'actorKind' | 'userId' | 'key'>): Promise<StoredKey | null> {
  const row = await db('idempotency_keys').where(keyOf(scope)).first('request_hash', 'response_status', 'response_body');
  return row ? { requestHash: row.request_hash, responseStatus: row.response_status, responseBody: row.response_body } : null;
}
