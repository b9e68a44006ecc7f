import type { Knex } from 'knex';

/**
 * What went to which accounting target, when: one export_batches row per export (the target is
 * the format), export_items per invoice in it (its version and what was written: the invoice, its
 * void, or only new payments), the file's bytes in export_batch_chunks so a past batch can be
 * fetched again byte for byte, and export_targets: one row per portal and target that every
 * export locks (FOR UPDATE) for its transaction, so two incremental exports to the same target
 * never both take an invoice. Everything is written in the export's own transaction: a failed or
 * aborted export leaves nothing behind. Plus the indexes the list views need at a million
 * invoices per portal (docs/benchmarks.md, "Views at a million invoices").
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE TABLE export_targets (
      portal_id      bigint NOT NULL REFERENCES portals (id),
      format         text NOT NULL,
      last_batch_id  uuid,
      batch_count    integer NOT NULL DEFAULT 0,
      updated_at     timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (portal_id, format)
    )`,
    `CREATE TABLE export_batches (
      portal_id      bigint NOT NULL REFERENCES portals (id),
      id             uuid NOT NULL,
      format         text NOT NULL CHECK (format IN ('csv', 'xero-csv', 'qbo-csv', 'qbd-iif', 'json')),
      filters        jsonb NOT NULL,
      incremental    boolean NOT NULL,
      invoice_count  integer NOT NULL DEFAULT 0 CHECK (invoice_count >= 0),
      void_count     integer NOT NULL DEFAULT 0 CHECK (void_count >= 0),
      payment_count  integer NOT NULL DEFAULT 0 CHECK (payment_count >= 0),
      warnings       jsonb NOT NULL DEFAULT '[]',
      checksum       text CHECK (checksum ~ '^[0-9a-f]{64}$'),
      byte_length    bigint NOT NULL DEFAULT 0 CHECK (byte_length >= 0),
      content_type   text NOT NULL,
      filename       text NOT NULL,
      created_by     text,
      actor_kind     text NOT NULL CHECK (actor_kind IN ('user', 'api_token', 'stripe', 'hubspot', 'system')),
      created_at     timestamptz NOT NULL,
      PRIMARY KEY (portal_id, id)
    )`,
    `CREATE INDEX export_batches_by_created ON export_batches (portal_id, created_at DESC, id DESC)`,
    `CREATE TABLE export_items (
      portal_id        bigint NOT NULL,
      batch_id         uuid NOT NULL,
      invoice_id       uuid NOT NULL,
      format           text NOT NULL,
      invoice_version  integer NOT NULL,
      state            text NOT NULL CHECK (state IN ('invoice', 'void', 'payments', 'void_notice')),
      payment_ids      uuid[] NOT NULL DEFAULT '{}',
      PRIMARY KEY (portal_id, batch_id, invoice_id),
      FOREIGN KEY (portal_id, batch_id) REFERENCES export_batches (portal_id, id) ON DELETE CASCADE
    )`,
    `CREATE INDEX export_items_by_target ON export_items (portal_id, format, invoice_id)`,
    `CREATE TABLE export_batch_chunks (
      portal_id  bigint NOT NULL,
      batch_id   uuid NOT NULL,
      seq        integer NOT NULL CHECK (seq >= 0),
      bytes      bytea NOT NULL,
      PRIMARY KEY (portal_id, batch_id, seq),
      FOREIGN KEY (portal_id, batch_id) REFERENCES export_batches (portal_id, id) ON DELETE CASCADE
    )`,
    // The status views (paid, open, overdue, due this month) in the list's default sort (-createdAt):
    // without it they walk invoices_by_created and filter out every other status.
    `CREATE INDEX invoices_by_status_created ON invoices (portal_id, status, created_at DESC, id DESC)`,
    // The aging report reads every open invoice's currency, due date and balance: covered, so an
    // index-only scan instead of a (parallel) sequential scan of the portal's invoices.
    `CREATE INDEX invoices_open_aging ON invoices (portal_id, currency, due_date) INCLUDE (total, amount_paid) WHERE status = 'open'`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [
    `DROP INDEX invoices_open_aging`,
    `DROP INDEX invoices_by_status_created`,
    `DROP TABLE export_batch_chunks`,
    `DROP TABLE export_items`,
    `DROP TABLE export_batches`,
    `DROP TABLE export_targets`,
  ]) {
    await knex.raw(statement);
  }
}
