import type { Knex } from 'knex';

/**
 * The append-only audit log of every invoice. No foreign key to invoices: the history of a
 * deleted draft is kept. Updates, deletes and truncation are refused by the database.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE TABLE invoice_events (
      portal_id   bigint NOT NULL,
      id          bigint GENERATED ALWAYS AS IDENTITY,
      invoice_id  uuid NOT NULL,
      type        text NOT NULL,
      actor_type  text NOT NULL CHECK (actor_type IN ('user', 'api_token', 'stripe', 'hubspot', 'system')),
      actor_id    text,
      data        jsonb NOT NULL DEFAULT '{}',
      created_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (portal_id, id)
    )`,
    `CREATE INDEX invoice_events_by_invoice ON invoice_events (portal_id, invoice_id, id)`,
    `CREATE FUNCTION invoice_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'invoice_events is append-only' USING ERRCODE = 'IV004';
    END $$`,
    `CREATE TRIGGER invoice_events_refuse_change BEFORE UPDATE OR DELETE ON invoice_events
      FOR EACH ROW EXECUTE FUNCTION invoice_events_refuse_change()`,
    `CREATE TRIGGER invoice_events_refuse_truncate BEFORE TRUNCATE ON invoice_events
      FOR EACH STATEMENT EXECUTE FUNCTION invoice_events_refuse_change()`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [
    `DROP TABLE invoice_events`,
    `DROP FUNCTION invoice_events_refuse_change()`,
  ]) {
    await knex.raw(statement);
  }
}
