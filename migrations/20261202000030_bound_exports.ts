import type { Knex } from 'knex';

/**
 * Bounded exports (issue 13, finding 4).
 *
 * export_links: one row per download link minted, by (portal, jti). The download's transaction
 * sets `consumed_at` (UPDATE ... WHERE consumed_at IS NULL), so a link streams one export; a
 * second use is 410. Rows of expired links carry no power (the token's `exp` is checked first)
 * and may be purged by housekeeping after `expires_at`.
 *
 * export_slots: per portal, the rows 0..N-1 (N = EXPORT_MAX_CONCURRENT) an export locks with
 * `FOR UPDATE SKIP LOCKED` for its transaction. A row lock is held across processes and released
 * by PostgreSQL itself when the transaction ends, also when its session is terminated (idle in
 * transaction timeout, a crashed process), so no lease can be leaked. No foreign key to portals:
 * rows are made before the export's own checks.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE export_links (
    portal_id    bigint      NOT NULL CHECK (portal_id > 0),
    jti          uuid        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    consumed_at  timestamptz,
    PRIMARY KEY (portal_id, jti)
  )`);
  await knex.raw(`CREATE TABLE export_slots (
    portal_id  bigint  NOT NULL CHECK (portal_id > 0),
    slot       integer NOT NULL CHECK (slot >= 0),
    PRIMARY KEY (portal_id, slot)
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE export_slots');
  await knex.raw('DROP TABLE export_links');
}
