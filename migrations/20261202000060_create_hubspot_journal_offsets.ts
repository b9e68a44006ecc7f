import type { Knex } from 'knex';

/**
 * Where the HubSpot webhooks journal poller stopped: one row per journal (today only `global`,
 * HubSpot's journal of every portal the app is installed in). The offset is HubSpot's opaque
 * `currentOffset` of the last entry applied; it only moves in the transaction that applied the
 * entry, so a failed poll reads the same entry again next time.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE hubspot_journal_offsets (
    journal     text        PRIMARY KEY CHECK (length(journal) BETWEEN 1 AND 50),
    last_offset text        NOT NULL CHECK (length(last_offset) BETWEEN 1 AND 200),
    updated_at  timestamptz NOT NULL
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE hubspot_journal_offsets');
}
