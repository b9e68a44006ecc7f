import type { Knex } from 'knex';

/**
 * Indexes for the housekeeping job, which deletes by age: expired OAuth states, processed vendor
 * events past the vendors' retry windows, revocations of tokens that can no longer be valid.
 * (idempotency_keys already has `idempotency_keys_by_age`.) Without them each purge scans the
 * whole table.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE INDEX oauth_states_by_expiry ON oauth_states (expires_at)`,
    `CREATE INDEX processed_events_by_age ON processed_events (source, processed_at)`,
    `CREATE INDEX revoked_api_tokens_by_age ON revoked_api_tokens (revoked_at)`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [
    `DROP INDEX revoked_api_tokens_by_age`,
    `DROP INDEX processed_events_by_age`,
    `DROP INDEX oauth_states_by_expiry`,
  ]) {
    await knex.raw(statement);
  }
}
