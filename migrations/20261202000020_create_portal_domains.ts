import type { Knex } from 'knex';

/**
 * Invoice domains become rows with a DNS challenge (issue 13, finding 2). A domain is `pending`
 * until its `_invoicing-challenge.<domain>` TXT record holds the challenge token, then `verified`.
 * A portal lists a domain once (primary key); a verified domain belongs to one portal (the unique
 * partial index), so no portal can serve its invoices on another portal's domain.
 *
 * The domains settings held before (`portal_settings.domains`, never verified) move here as
 * PENDING with fresh tokens: nothing proves their owner controls them, so they stop serving until
 * verified. `default_domain` is cleared for the same reason (a default must be verified); the
 * portal sets it again after verifying. The `domains` column is dropped: the table is the only
 * source (settings show the verified names).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE portal_domains (
    portal_id       bigint      NOT NULL REFERENCES portals (id) ON DELETE CASCADE,
    domain          text        NOT NULL CHECK (domain = lower(domain) AND length(domain) BETWEEN 4 AND 253),
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified')),
    challenge_token text        NOT NULL CHECK (length(challenge_token) BETWEEN 20 AND 100),
    created_at      timestamptz NOT NULL DEFAULT now(),
    verified_at     timestamptz,
    CHECK ((status = 'verified') = (verified_at IS NOT NULL)),
    PRIMARY KEY (portal_id, domain)
  )`);
  await knex.raw(`CREATE UNIQUE INDEX portal_domains_one_verified_owner ON portal_domains (domain) WHERE status = 'verified'`);
  await knex.raw(`INSERT INTO portal_domains (portal_id, domain, challenge_token)
    SELECT DISTINCT s.portal_id, lower(d.value), replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '')
      FROM portal_settings s, jsonb_array_elements_text(s.domains) AS d(value)
     WHERE length(d.value) BETWEEN 4 AND 253
    ON CONFLICT DO NOTHING`);
  await knex.raw('UPDATE portal_settings SET default_domain = NULL WHERE default_domain IS NOT NULL');
  await knex.raw('ALTER TABLE portal_settings DROP COLUMN domains');
}

/** Back to the settings column, with every domain (verified or not) as it was listed. */
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE portal_settings ADD COLUMN domains jsonb NOT NULL DEFAULT '[]'`);
  await knex.raw(`UPDATE portal_settings s
     SET domains = (SELECT coalesce(jsonb_agg(d.domain ORDER BY d.domain), '[]') FROM portal_domains d WHERE d.portal_id = s.portal_id)`);
  await knex.raw('DROP TABLE portal_domains');
}
