import type { Knex } from 'knex';

/**
 * Payments against invoices. A trigger keeps invoices.amount_paid equal to the sum of payments,
 * so the invoice's CHECK (amount_paid <= total) refuses an overpayment inside the database.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE TABLE payments (
      portal_id    bigint NOT NULL,
      id           uuid NOT NULL DEFAULT gen_random_uuid(),
      invoice_id   uuid NOT NULL,
      amount       bigint NOT NULL CHECK (amount > 0),
      currency     char(3) NOT NULL,
      method       text NOT NULL CHECK (method IN ('bank_transfer', 'check', 'cash', 'card', 'ach', 'other')),
      received_on  date NOT NULL,
      reference    text NOT NULL DEFAULT '',
      source       text NOT NULL CHECK (source IN ('manual', 'stripe')),
      external_id  text,
      created_by   text,
      created_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (portal_id, id),
      CONSTRAINT payments_external_id_once UNIQUE (portal_id, source, external_id),
      FOREIGN KEY (portal_id, invoice_id) REFERENCES invoices (portal_id, id)
    )`,
    `CREATE INDEX payments_by_invoice ON payments (portal_id, invoice_id)`,
    `CREATE FUNCTION payments_apply_to_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      inv record;
    BEGIN
      SELECT status, currency INTO inv FROM invoices
       WHERE portal_id = NEW.portal_id AND id = NEW.invoice_id FOR UPDATE;
      IF inv.status IS DISTINCT FROM 'open' THEN
        RAISE EXCEPTION 'payments can only be recorded on open invoices (invoice %, status %)',
          NEW.invoice_id, inv.status USING ERRCODE = 'IV003';
      END IF;
      IF inv.currency <> NEW.currency THEN
        RAISE EXCEPTION 'payment currency % differs from invoice currency %', NEW.currency, inv.currency
          USING ERRCODE = 'IV003';
      END IF;
      UPDATE invoices SET amount_paid = amount_paid + NEW.amount
       WHERE portal_id = NEW.portal_id AND id = NEW.invoice_id;
      RETURN NEW;
    END $$`,
    `CREATE TRIGGER payments_apply_to_invoice AFTER INSERT ON payments
      FOR EACH ROW EXECUTE FUNCTION payments_apply_to_invoice()`,
    `-- Payments are money records: corrections are new rows (refunds), never edits.
    CREATE FUNCTION payments_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'payments are append-only' USING ERRCODE = 'IV004';
    END $$`,
    `CREATE TRIGGER payments_refuse_change BEFORE UPDATE OR DELETE ON payments
      FOR EACH ROW EXECUTE FUNCTION payments_refuse_change()`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [
    `DROP TABLE payments`,
    `DROP FUNCTION payments_apply_to_invoice()`,
    `DROP FUNCTION payments_refuse_change()`,
  ]) {
    await knex.raw(statement);
  }
}
