import type { Knex } from 'knex';

/**
 * The issued PDF of each finalized invoice, by fingerprint: its SHA-256 and length. The bytes are
 * not stored: the renderer is deterministic, so they are rendered again on request and checked
 * against this row. Kept apart from the invoice's snapshot because the finalize statement must
 * stay one short round trip (the numbering lock); the PDF is rendered right after its commit.
 * Insert-only: one row per invoice, never changed or deleted (finalized invoices are never
 * deleted either).
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE TABLE invoice_documents (
      portal_id    bigint NOT NULL,
      invoice_id   uuid NOT NULL,
      sha256       char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      byte_length  integer NOT NULL CHECK (byte_length > 0),
      created_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (portal_id, invoice_id),
      FOREIGN KEY (portal_id, invoice_id) REFERENCES invoices (portal_id, id)
    )`,
    `CREATE FUNCTION invoice_documents_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'invoice_documents is insert-only' USING ERRCODE = 'IV004';
    END $$`,
    `CREATE TRIGGER invoice_documents_refuse_change BEFORE UPDATE OR DELETE ON invoice_documents
      FOR EACH ROW EXECUTE FUNCTION invoice_documents_refuse_change()`,
    `CREATE TRIGGER invoice_documents_refuse_truncate BEFORE TRUNCATE ON invoice_documents
      FOR EACH STATEMENT EXECUTE FUNCTION invoice_documents_refuse_change()`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [`DROP TABLE invoice_documents`, `DROP FUNCTION invoice_documents_refuse_change()`]) {
    await knex.raw(statement);
  }
}
