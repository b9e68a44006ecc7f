import type { Knex } from 'knex';

/**
 * Refuses a settings change that would make an already issued invoice number come out again:
 * switching to a prefix, or lowering the next number, below the highest number issued with
 * that prefix. The plain increment done by finalize skips the check (it only moves forward).
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE FUNCTION portal_settings_guard_numbering() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      highest bigint;
    BEGIN
      IF NEW.number_prefix IS DISTINCT FROM OLD.number_prefix OR NEW.next_number < OLD.next_number THEN
        SELECT max(number_seq) INTO highest FROM invoices
         WHERE portal_id = NEW.portal_id AND number_prefix = NEW.number_prefix AND number IS NOT NULL;
        IF highest IS NOT NULL AND NEW.next_number <= highest THEN
          RAISE EXCEPTION 'number %-% was already issued; the next number with this prefix must be at least %',
            NEW.number_prefix, highest, highest + 1 USING ERRCODE = 'IV002';
        END IF;
      END IF;
      RETURN NEW;
    END $$`,
    `CREATE TRIGGER portal_settings_guard_numbering BEFORE UPDATE ON portal_settings
      FOR EACH ROW EXECUTE FUNCTION portal_settings_guard_numbering()`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [
    `DROP TRIGGER portal_settings_guard_numbering ON portal_settings`,
    `DROP FUNCTION portal_settings_guard_numbering()`,
  ]) {
    await knex.raw(statement);
  }
}
