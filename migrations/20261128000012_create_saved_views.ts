import type { Knex } from 'knex';

/**
 * A user's saved invoice-list views: a name and the list filters (as GET /api/v1/invoices takes
 * them, validated by the same schema before they are stored). Private to their user.
 */
export async function up(knex: Knex): Promise<void> {
  for (const statement of [
    `CREATE TABLE saved_views (
      portal_id   bigint NOT NULL REFERENCES portals (id),
      user_id     text NOT NULL,
      id          uuid NOT NULL DEFAULT gen_random_uuid(),
      name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      filters     jsonb NOT NULL,
      created_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (portal_id, id),
      CONSTRAINT saved_views_name_unique UNIQUE (portal_id, user_id, name)
    )`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of [`DROP TABLE saved_views`]) {
    await knex.raw(statement);
  }
}
