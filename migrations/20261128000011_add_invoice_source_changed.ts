import type { Knex } from 'knex';

/**
 * "Source changed" on drafts: set when HubSpot reports (webhook) that the deal or line items a
 * draft was copied from changed, cleared when the draft is re-synced. Only drafts are ever
 * written: the column is deliberately not in the finalized-invoice guard's mutable list, so after
 * finalize it is frozen like every other column. The two indexes serve the webhook's lookups
 * (drafts by source record, lines by HubSpot line item id).
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `ALTER TABLE invoices ADD COLUMN source_changed_at timestamptz`,
    `CREATE INDEX invoices_drafts_by_source ON invoices (portal_id, source_object_type, source_object_id)
       WHERE status = 'draft'`,
    `CREATE INDEX invoice_line_items_by_hubspot_id ON invoice_line_items (portal_id, hubspot_line_item_id)
       WHERE hubspot_line_item_id IS NOT NULL`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [
    `DROP INDEX invoice_line_items_by_hubspot_id`,
    `DROP INDEX invoices_drafts_by_source`,
    `ALTER TABLE invoices DROP COLUMN source_changed_at`,
  ]) {
    await knex.raw(statement);
  }
}
