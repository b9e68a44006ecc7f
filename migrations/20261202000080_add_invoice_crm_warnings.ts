import type { Knex } from 'knex';

/**
 * What a copy from a HubSpot record could not do faithfully (issue 14: a line item's tax rate
 * group that the tax rates API could not resolve), stored with the draft so the API and the card
 * keep showing it until someone deals with it. A JSON array of {code, hubspotLineItemId,
 * taxRateGroupId, message}; '[]' for every existing invoice.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE invoices
    ADD COLUMN crm_warnings jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(crm_warnings) = 'array')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE invoices DROP COLUMN crm_warnings');
}
