import type { Knex } from 'knex';

/**
 * HubSpot install state: OAuth tokens (encrypted at rest by the app, AES-256-GCM) on the portal,
 * single-use OAuth states, and the processed-event ledger that makes webhooks idempotent.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `ALTER TABLE portals
       ADD COLUMN hub_domain text,
       ADD COLUMN scopes jsonb NOT NULL DEFAULT '[]',
       ADD COLUMN access_token_enc text,
       ADD COLUMN refresh_token_enc text,
       ADD COLUMN access_token_expires_at timestamptz,
       ADD COLUMN installed_by_user_id text,
       ADD COLUMN installed_at timestamptz,
       ADD COLUMN uninstalled_at timestamptz`,
    `CREATE TABLE oauth_states (
       id          text PRIMARY KEY,
       expires_at  timestamptz NOT NULL,
       used_at     timestamptz,
       created_at  timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE processed_events (
       source       text NOT NULL CHECK (source IN ('hubspot', 'stripe')),
       event_id     text NOT NULL,
       portal_id    bigint,
       type         text NOT NULL,
       processed_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (source, event_id)
     )`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [
    `DROP TABLE processed_events`,
    `DROP TABLE oauth_states`,
    `ALTER TABLE portals
       DROP COLUMN hub_domain, DROP COLUMN scopes, DROP COLUMN access_token_enc, DROP COLUMN refresh_token_enc,
       DROP COLUMN access_token_expires_at, DROP COLUMN installed_by_user_id, DROP COLUMN installed_at,
       DROP COLUMN uninstalled_at`,
  ]) {
    await knex.raw(statement);
  }
}
