import type { Knex } from 'knex';

/**
 * Responses of state-changing requests by Idempotency-Key, written in the same transaction as
 * the change itself, so a retried request either sees the whole first outcome or re-runs.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE TABLE idempotency_keys (
      portal_id       bigint NOT NULL,
      key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
      request_hash    text NOT NULL,
      response_status integer NOT NULL,
      response_body   jsonb,
      created_at      timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (portal_id, key)
    )`,
    `CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at)`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE idempotency_keys;');
}
