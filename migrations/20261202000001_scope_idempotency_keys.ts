import type { Knex } from 'knex';

/**
 * An Idempotency-Key belongs to whoever sent it, not to the whole portal: the key becomes
 * (portal, actor kind, user, key), so another user (or an API token naming another user) who
 * happens to send the same key and body runs their own request instead of receiving the first
 * user's stored response. An actor without a user is stored as the empty string, because a
 * primary key column cannot be null. Rows written before this migration get empty scope columns
 * and so match no request any more: at worst a retry of a request from the last 24 hours runs
 * again, instead of replaying across users.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `ALTER TABLE idempotency_keys
       ADD COLUMN actor_kind text NOT NULL DEFAULT '' CHECK (length(actor_kind) <= 20),
       ADD COLUMN actor_user_id text NOT NULL DEFAULT '' CHECK (length(actor_user_id) <= 255)`,
    `ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey`,
    `ALTER TABLE idempotency_keys ADD PRIMARY KEY (portal_id, actor_kind, actor_user_id, key)`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [
    // Narrowing the key again would make one user's row collide with another's: keep one per (portal, key).
    `DELETE FROM idempotency_keys a USING idempotency_keys b
      WHERE a.portal_id = b.portal_id AND a.key = b.key AND (a.created_at, a.actor_kind, a.actor_user_id) > (b.created_at, b.actor_kind, b.actor_user_id)`,
    `ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey`,
    `ALTER TABLE idempotency_keys ADD PRIMARY KEY (portal_id, key)`,
    `ALTER TABLE idempotency_keys DROP COLUMN actor_kind, DROP COLUMN actor_user_id`,
  ]) {
    await knex.raw(statement);
  }
}
