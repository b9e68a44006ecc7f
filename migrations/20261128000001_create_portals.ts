import type { Knex } from 'knex';

/** Portals (one per HubSpot account) and their invoicing settings, including the number counter. */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE TABLE portals (
      id          bigint PRIMARY KEY CHECK (id > 0),
      status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_reauth', 'uninstalled')),
      created_at  timestamptz NOT NULL DEFAULT now(),
      updated_at  timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE portal_settings (
      portal_id               bigint PRIMARY KEY REFERENCES portals (id) ON DELETE CASCADE,
      number_prefix           text NOT NULL DEFAULT 'INV'
                                CHECK (number_prefix ~ '^[A-Za-z0-9][A-Za-z0-9_./-]{0,19}$'),
      -- The next number finalize hands out. Only ever read and bumped under this row's lock.
      next_number             bigint NOT NULL DEFAULT 1001 CHECK (next_number BETWEEN 1 AND 999999999999),
      time_zone               text NOT NULL DEFAULT 'UTC',
      default_currency        char(3) NOT NULL DEFAULT 'USD',
      default_payment_terms   text NOT NULL DEFAULT 'net_30',
      default_payment_methods jsonb NOT NULL DEFAULT '["card", "ach"]',
      allow_partial_payments  boolean NOT NULL DEFAULT false,
      brand                   jsonb NOT NULL DEFAULT '{}',
      domains                 jsonb NOT NULL DEFAULT '[]',
      default_domain          text,
      accounting_mappings     jsonb NOT NULL DEFAULT '{}',
      version                 integer NOT NULL DEFAULT 1,
      updated_at              timestamptz NOT NULL DEFAULT now()
    )`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [
    `DROP TABLE portal_settings`,
    `DROP TABLE portals`,
  ]) {
    await knex.raw(statement);
  }
}
