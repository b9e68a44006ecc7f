import type { Knex } from 'knex';

/**
 * Online payments through each portal's connected Stripe account.
 *
 * - portals: the connected account (id, charges enabled, when connected).
 * - stripe_checkout_sessions: one row per Checkout attempt, so a webhook maps back to the
 *   invoice through our own row (not only Stripe's metadata) and ACH sessions can be pending.
 * - payments gain `kind` (payment | refund), `applied_amount` (the part that counts towards the
 *   invoice's amount_paid) and `refund_of`. Money received is always recorded in full: the part
 *   of a processor's payment beyond the balance (two sessions paid, or a payment arriving after a
 *   void) is kept as credit on the invoice (`invoices.credit_amount`), never refused or dropped.
 *   Refunds are rows of their own that take back credit first, then amount_paid, and move a paid
 *   invoice back to open. Manual payments keep their old rule: open invoices, within the balance.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `ALTER TABLE portals
       ADD COLUMN stripe_account_id text,
       ADD COLUMN stripe_charges_enabled boolean NOT NULL DEFAULT false,
       ADD COLUMN stripe_connected_at timestamptz`,
    `CREATE INDEX portals_by_stripe_account ON portals (stripe_account_id) WHERE stripe_account_id IS NOT NULL`,
    `ALTER TABLE invoices ADD COLUMN credit_amount bigint NOT NULL DEFAULT 0
       CONSTRAINT invoices_credit_not_negative CHECK (credit_amount >= 0)`,
    `CREATE TABLE stripe_checkout_sessions (
       portal_id          bigint NOT NULL,
       id                 uuid NOT NULL DEFAULT gen_random_uuid(),
       invoice_id         uuid NOT NULL,
       account_id         text NOT NULL,
       amount             bigint NOT NULL CHECK (amount > 0),
       currency           char(3) NOT NULL,
       -- The invoice's amount_paid when the attempt started: a session is reused only while it is unchanged.
       amount_paid_before bigint NOT NULL CHECK (amount_paid_before >= 0),
       idempotency_key    text NOT NULL,
       session_id         text UNIQUE,
       url                text,
       payment_intent_id  text,
       status             text NOT NULL DEFAULT 'creating'
                            CHECK (status IN ('creating', 'open', 'pending', 'paid', 'failed', 'expired')),
       expires_at         timestamptz,
       created_at         timestamptz NOT NULL DEFAULT now(),
       updated_at         timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (portal_id, id),
       UNIQUE (portal_id, idempotency_key),
       FOREIGN KEY (portal_id, invoice_id) REFERENCES invoices (portal_id, id),
       CONSTRAINT stripe_sessions_open_has_session CHECK (status = 'creating' OR session_id IS NOT NULL)
     )`,
    `CREATE INDEX stripe_checkout_sessions_by_invoice ON stripe_checkout_sessions (portal_id, invoice_id, created_at)`,
    `CREATE INDEX stripe_checkout_sessions_by_intent ON stripe_checkout_sessions (payment_intent_id) WHERE payment_intent_id IS NOT NULL`,
    `ALTER TABLE payments
       ADD COLUMN kind text NOT NULL DEFAULT 'payment' CHECK (kind IN ('payment', 'refund')),
       ADD COLUMN applied_amount bigint,
       ADD COLUMN refund_of uuid,
       ADD CONSTRAINT payments_refund_has_payment CHECK ((kind = 'refund') = (refund_of IS NOT NULL)),
       ADD CONSTRAINT payments_refund_of_fk FOREIGN KEY (portal_id, refund_of) REFERENCES payments (portal_id, id)`,
    // Existing rows applied in full. The append-only guard is lifted for this one backfill only.
    `ALTER TABLE payments DISABLE TRIGGER payments_refuse_change`,
    `UPDATE payments SET applied_amount = amount WHERE applied_amount IS NULL`,
    `ALTER TABLE payments ENABLE TRIGGER payments_refuse_change`,
    `ALTER TABLE payments ALTER COLUMN applied_amount SET NOT NULL,
       ADD CONSTRAINT payments_applied_within_amount CHECK (applied_amount >= 0 AND applied_amount <= amount)`,
    `CREATE INDEX payments_by_refunded_payment ON payments (portal_id, refund_of) WHERE refund_of IS NOT NULL`,
    `-- Without an explicit split the whole amount applies (manual payments, and rows written before this change).
    CREATE FUNCTION payments_default_applied() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.applied_amount IS NULL THEN NEW.applied_amount := NEW.amount; END IF;
      RETURN NEW;
    END $$`,
    `CREATE TRIGGER payments_default_applied BEFORE INSERT ON payments
      FOR EACH ROW EXECUTE FUNCTION payments_default_applied()`,
    `CREATE OR REPLACE FUNCTION payments_apply_to_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      inv record;
      orig record;
      refunded_applied bigint;
      refunded_credit bigint;
    BEGIN
      SELECT status, currency INTO inv FROM invoices
       WHERE portal_id = NEW.portal_id AND id = NEW.invoice_id FOR UPDATE;
      IF inv.currency IS DISTINCT FROM NEW.currency THEN
        RAISE EXCEPTION 'payment currency % differs from invoice currency %', NEW.currency, inv.currency
          USING ERRCODE = 'IV003';
      END IF;
      IF NEW.kind = 'payment' THEN
        -- Money already received by the processor is kept even on a paid or void invoice (as credit);
        -- only what applies to the balance needs an open invoice, and manual payments always do.
        IF inv.status IS DISTINCT FROM 'open' AND (NEW.applied_amount > 0 OR NEW.source = 'manual') THEN
          RAISE EXCEPTION 'payments can only be recorded on open invoices (invoice %, status %)',
            NEW.invoice_id, inv.status USING ERRCODE = 'IV003';
        END IF;
        UPDATE invoices SET amount_paid = amount_paid + NEW.applied_amount,
                            credit_amount = credit_amount + (NEW.amount - NEW.applied_amount)
         WHERE portal_id = NEW.portal_id AND id = NEW.invoice_id;
        RETURN NEW;
      END IF;
      SELECT invoice_id, kind, amount, applied_amount INTO orig FROM payments
       WHERE portal_id = NEW.portal_id AND id = NEW.refund_of;
      IF orig.kind IS DISTINCT FROM 'payment' OR orig.invoice_id <> NEW.invoice_id THEN
        RAISE EXCEPTION 'a refund must refer to a payment of the same invoice' USING ERRCODE = 'IV003';
      END IF;
      SELECT coalesce(sum(applied_amount), 0), coalesce(sum(amount - applied_amount), 0)
        INTO refunded_applied, refunded_credit FROM payments
       WHERE portal_id = NEW.portal_id AND refund_of = NEW.refund_of;
      IF refunded_applied > orig.applied_amount OR refunded_credit > orig.amount - orig.applied_amount THEN
        RAISE EXCEPTION 'refunds of payment % exceed what it paid', NEW.refund_of USING ERRCODE = 'IV003';
      END IF;
      -- A paid invoice owes money again once part of what settled it goes back.
      UPDATE invoices SET amount_paid = amount_paid - NEW.applied_amount,
                          credit_amount = credit_amount - (NEW.amount - NEW.applied_amount),
                          status = CASE WHEN status = 'paid' AND NEW.applied_amount > 0 THEN 'open' ELSE status END,
                          paid_at = CASE WHEN status = 'paid' AND NEW.applied_amount > 0 THEN NULL ELSE paid_at END
       WHERE portal_id = NEW.portal_id AND id = NEW.invoice_id;
      RETURN NEW;
    END $$`,
    `CREATE OR REPLACE FUNCTION invoices_guard_finalized() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      mutable text[] := ARRAY['status', 'amount_paid', 'credit_amount', 'paid_at', 'voided_at', 'void_reason',
                              'version', 'updated_at'];
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
          RAISE EXCEPTION 'invoice % is finalized and cannot be deleted', OLD.id USING ERRCODE = 'IV001';
        END IF;
        RETURN OLD;
      END IF;
      IF NOT (OLD.status = NEW.status
              OR (OLD.status, NEW.status) IN (('draft', 'open'), ('open', 'paid'), ('paid', 'open'), ('open', 'void'))) THEN
        RAISE EXCEPTION 'invoice % cannot move from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'IV001';
      END IF;
      IF OLD.status <> 'draft' AND (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable) THEN
        RAISE EXCEPTION 'invoice % is finalized: its number, lines and totals cannot change', OLD.id
          USING ERRCODE = 'IV001';
      END IF;
      RETURN NEW;
    END $$`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE OR REPLACE FUNCTION invoices_guard_finalized() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      mutable text[] := ARRAY['status', 'amount_paid', 'paid_at', 'voided_at', 'void_reason',
                              'version', 'updated_at'];
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
          RAISE EXCEPTION 'invoice % is finalized and cannot be deleted', OLD.id USING ERRCODE = 'IV001';
        END IF;
        RETURN OLD;
      END IF;
      IF NOT (OLD.status = NEW.status
              OR (OLD.status, NEW.status) IN (('draft', 'open'), ('open', 'paid'), ('paid', 'open'), ('open', 'void'))) THEN
        RAISE EXCEPTION 'invoice % cannot move from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'IV001';
      END IF;
      IF OLD.status <> 'draft' AND (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable) THEN
        RAISE EXCEPTION 'invoice % is finalized: its number, lines and totals cannot change', OLD.id
          USING ERRCODE = 'IV001';
      END IF;
      RETURN NEW;
    END $$`,
    `CREATE OR REPLACE FUNCTION payments_apply_to_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
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
    `DROP TRIGGER payments_default_applied ON payments`,
    `DROP FUNCTION payments_default_applied()`,
    // Payments are append-only; dropping the new columns loses the refund rows' meaning, so down
    // refuses when refunds or credit exist rather than silently turning refunds into payments.
    `DO $$ BEGIN
       IF EXISTS (SELECT 1 FROM payments WHERE kind = 'refund' OR applied_amount <> amount) THEN
         RAISE EXCEPTION 'cannot roll back: refunds or unapplied payments exist';
       END IF;
     END $$`,
    `DROP INDEX payments_by_refunded_payment`,
    `ALTER TABLE payments DROP CONSTRAINT payments_applied_within_amount, DROP CONSTRAINT payments_refund_of_fk,
       DROP CONSTRAINT payments_refund_has_payment, DROP COLUMN refund_of, DROP COLUMN applied_amount, DROP COLUMN kind`,
    `DROP TABLE stripe_checkout_sessions`,
    `ALTER TABLE invoices DROP COLUMN credit_amount`,
    `DROP INDEX portals_by_stripe_account`,
    `ALTER TABLE portals DROP COLUMN stripe_account_id, DROP COLUMN stripe_charges_enabled, DROP COLUMN stripe_connected_at`,
  ]) {
    await knex.raw(statement);
  }
}
