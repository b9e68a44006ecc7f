import type { Knex } from 'knex';

/**
 * Invoice numbers go up to 999999999999. Issuing that last one moves the counter one past it,
 * which now means "this prefix is used up" (finalize answers 422 numbering_exhausted) instead of
 * failing the CHECK and leaving the announced last number unissuable.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE portal_settings DROP CONSTRAINT portal_settings_next_number_check');
  await knex.raw(
    'ALTER TABLE portal_settings ADD CONSTRAINT portal_settings_next_number_check CHECK (next_number BETWEEN 1 AND 1000000000000)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE portal_settings DROP CONSTRAINT portal_settings_next_number_check');
  await knex.raw('ALTER TABLE portal_settings ADD CONSTRAINT portal_settings_next_number_check CHECK (next_number BETWEEN 1 AND 999999999999)');
}
