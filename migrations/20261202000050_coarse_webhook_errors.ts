import type { Knex } from 'knex';

/**
 * Webhook delivery errors become coarse categories (issue 13, finding 3): `timeout`,
 * `refused_address`, `network_error` or `http_<status>`. The text stored before (socket errors such
 * as "connect ECONNREFUSED 10.0.0.7:5432", resolver answers) let a tenant scan the service's network
 * through its endpoint URL; it is rewritten to its category, and a CHECK keeps any other text out.
 */
const CATEGORY = `'^(timeout|refused_address|network_error|http_[0-9]{3})$'`;

const toCategory = (column: string) => `CASE
    WHEN ${column} ~ '^HTTP [0-9]{3}$' THEN 'http_' || substr(${column}, 6)
    WHEN ${column} ~ ${CATEGORY} THEN ${column}
    WHEN ${column} LIKE 'no answer within %' THEN 'timeout'
    WHEN ${column} LIKE 'the endpoint URL is not allowed%' OR ${column} LIKE 'the endpoint is not called%' THEN 'refused_address'
    ELSE 'network_error'
  END`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`UPDATE webhook_delivery_attempts SET error = ${toCategory('error')} WHERE error IS NOT NULL`);
  await knex.raw(`UPDATE webhook_deliveries SET last_error = ${toCategory('last_error')} WHERE last_error IS NOT NULL`);
  await knex.raw(`ALTER TABLE webhook_delivery_attempts
    ADD CONSTRAINT webhook_delivery_attempts_error_category CHECK (error IS NULL OR error ~ ${CATEGORY})`);
  await knex.raw(`ALTER TABLE webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_last_error_category CHECK (last_error IS NULL OR last_error ~ ${CATEGORY})`);
}

/** The constraints go; the detail that was rewritten is not restored (it was never meant to be kept). */
export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_last_error_category');
  await knex.raw('ALTER TABLE webhook_delivery_attempts DROP CONSTRAINT webhook_delivery_attempts_error_category');
}
