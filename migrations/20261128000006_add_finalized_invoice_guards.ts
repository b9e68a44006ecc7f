import type { Knex } from 'knex';

/**
 * Database guards for finalized invoices: their number, dates, lines and totals never change,
 * only status moves along the lifecycle, and they are never deleted. Columns not listed as
 * mutable are immutable after finalization, so a column added later is protected by default.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE FUNCTION invoices_guard_finalized() RETURNS trigger LANGUAGE plpgsql AS $$
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
    `CREATE TRIGGER invoices_guard_finalized BEFORE UPDATE OR DELETE ON invoices
      FOR EACH ROW EXECUTE FUNCTION invoices_guard_finalized()`,
    `-- Lines and invoice-level adjustments belong to the document: editable only on drafts.
    -- A missing parent means a cascading delete of a draft, which is allowed.
    CREATE FUNCTION invoice_parts_guard_finalized() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      row_portal bigint;
      row_invoice uuid;
      parent_status text;
    BEGIN
      IF TG_OP = 'DELETE' THEN
        row_portal := OLD.portal_id; row_invoice := OLD.invoice_id;
      ELSE
        row_portal := NEW.portal_id; row_invoice := NEW.invoice_id;
      END IF;
      SELECT status INTO parent_status FROM invoices WHERE portal_id = row_portal AND id = row_invoice;
      IF parent_status IS NOT NULL AND parent_status <> 'draft' THEN
        RAISE EXCEPTION 'invoice % is finalized: its % cannot change', row_invoice, TG_TABLE_NAME
          USING ERRCODE = 'IV001';
      END IF;
      IF TG_OP = 'UPDATE' AND (OLD.portal_id, OLD.invoice_id) IS DISTINCT FROM (NEW.portal_id, NEW.invoice_id) THEN
        RAISE EXCEPTION 'invoice parts cannot move between invoices' USING ERRCODE = 'IV001';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$`,
    `CREATE TRIGGER invoice_line_items_guard_finalized BEFORE INSERT OR UPDATE OR DELETE ON invoice_line_items
      FOR EACH ROW EXECUTE FUNCTION invoice_parts_guard_finalized()`,
    `CREATE TRIGGER invoice_adjustments_guard_finalized BEFORE INSERT OR UPDATE OR DELETE ON invoice_adjustments
      FOR EACH ROW EXECUTE FUNCTION invoice_parts_guard_finalized()`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [
    `DROP TRIGGER invoice_adjustments_guard_finalized ON invoice_adjustments`,
    `DROP TRIGGER invoice_line_items_guard_finalized ON invoice_line_items`,
    `DROP FUNCTION invoice_parts_guard_finalized()`,
    `DROP TRIGGER invoices_guard_finalized ON invoices`,
    `DROP FUNCTION invoices_guard_finalized()`,
  ]) {
    await knex.raw(statement);
  }
}
