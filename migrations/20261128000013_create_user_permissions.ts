import type { Knex } from 'knex';

/**
 * Per-user invoice permissions: explicit grants/revocations an admin set (the defaults come from
 * HubSpot's rule and are computed, never stored), and a cache of the HubSpot facts the defaults
 * need (the user's creation date and super-admin flag), refreshed after a TTL.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE TABLE user_permissions (
      portal_id   bigint NOT NULL REFERENCES portals (id),
      user_id     text NOT NULL,
      permission  text NOT NULL CHECK (permission IN ('view', 'edit', 'finalize', 'void', 'record_payment', 'export', 'settings')),
      granted     boolean NOT NULL,
      updated_by  text NOT NULL,
      updated_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (portal_id, user_id, permission)
    )`,
    `CREATE TABLE hubspot_user_facts (
      portal_id   bigint NOT NULL REFERENCES portals (id),
      user_id     text NOT NULL,
      created_at  timestamptz,
      super_admin boolean NOT NULL,
      fetched_at  timestamptz NOT NULL,
      PRIMARY KEY (portal_id, user_id)
    )`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [`DROP TABLE hubspot_user_facts`, `DROP TABLE user_permissions`]) {
    await knex.raw(statement);
  }
}
