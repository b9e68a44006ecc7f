import type { Knex } from 'knex';

/**
 * Revoked API tokens, by (portal, jti): `npm run token -- --revoke <jti> --portal <id>` adds a row
 * and authentication refuses the token from then on. No foreign key to portals: a token may be
 * revoked before its portal was ever seen.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE revoked_api_tokens (
    portal_id  bigint      NOT NULL CHECK (portal_id > 0),
    jti        text        NOT NULL CHECK (length(jti) BETWEEN 1 AND 100),
    revoked_at timestamptz NOT NULL,
    PRIMARY KEY (portal_id, jti)
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE revoked_api_tokens');
}
