import type { Knex } from 'knex';

/**
 * The durable intent to mirror a finalized invoice into HubSpot's invoice object, and how far the
 * mirror got. Finalize, void and payments write the desired status in their own transaction; a
 * background job pushes it to HubSpot and records the result. A row whose `next_attempt_at` is
 * set still has work to do: the periodic sweep re-enqueues those that are due, so a lost job or
 * a crash only delays a mirror, never loses it.
 *
 * - `revision` is bumped by every new intent (a partial payment changes the balance, not the
 *   status); the job records the revision it pushed in `synced_revision`.
 * - `hubspot_invoice_id` is written as soon as HubSpot created the invoice, and
 *   `hubspot_line_item_ids` (HubSpot ids by line position) after each batch of line items, so a
 *   retry never creates them twice.
 * - `locked_until` is a lease: one worker at a time per invoice, across processes.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE TABLE invoice_mirrors (
      portal_id              bigint NOT NULL,
      invoice_id             uuid NOT NULL,
      hubspot_invoice_id     text CHECK (hubspot_invoice_id ~ '^[0-9]{1,20}$'),
      hubspot_line_item_ids  jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(hubspot_line_item_ids) = 'array'),
      desired_status         text NOT NULL CHECK (desired_status IN ('open', 'paid', 'void')),
      synced_status          text CHECK (synced_status IN ('open', 'paid', 'void')),
      revision               integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
      synced_revision        integer NOT NULL DEFAULT 0 CHECK (synced_revision >= 0),
      attempts               integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      last_error             text,
      next_attempt_at        timestamptz,
      locked_until           timestamptz,
      created_at             timestamptz NOT NULL DEFAULT now(),
      updated_at             timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (portal_id, invoice_id),
      FOREIGN KEY (portal_id, invoice_id) REFERENCES invoices (portal_id, id)
    )`,
    `CREATE INDEX invoice_mirrors_due ON invoice_mirrors (next_attempt_at) WHERE next_attempt_at IS NOT NULL`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE invoice_mirrors`);
}
