import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from './helpers/db.js';

/**
 * The schema stays ready for sharding by portal (Citus with `portal_id` as the distribution
 * column, docs/scaling.md): every tenant table carries `portal_id`, its primary key and unique
 * constraints include it, its indexes lead with it, and its foreign keys go through it (so joins
 * never cross portals). The few exceptions are listed with the reason; a new table or index that
 * breaks the rule fails here until it is fixed or argued for.
 */

/** Not tenant data: the coordinator keeps these (Citus "local" or reference tables). */
const GLOBAL_TABLES: Record<string, string> = {
  knex_migrations: 'migration bookkeeping',
  knex_migrations_lock: 'migration bookkeeping',
  oauth_states: 'an install has no portal until HubSpot says which one',
  processed_events: "webhook de-duplication keyed by the sender's event id, before the portal is known",
  hubspot_journal_offsets: "the position in HubSpot's app-wide webhooks journal, which spans every portal",
  portals: 'the tenant table itself: its id is the distribution column',
};

/** Indexes that deliberately do not lead with portal_id (non-unique, serving cross-portal sweeps). */
const CROSS_PORTAL_INDEXES: Record<string, string> = {
  idempotency_keys_by_age: 'the expiry sweep deletes old keys of every portal; per shard on Citus',
  revoked_api_tokens_by_age: 'the housekeeping sweep deletes revocations of every portal once their tokens expired; per shard on Citus',
  invoice_mirrors_due: 'the mirror sweep finds due work of every portal; per shard on Citus',
  webhook_deliveries_due: 'the webhook worker claims due deliveries of every portal; per shard on Citus',
  stripe_checkout_sessions_session_id_key:
    "a Stripe event names the session by Stripe's globally unique id; on Citus this unique index moves to a session -> portal lookup table like public tokens",
  stripe_checkout_sessions_by_intent: 'refund events name the payment intent and the connected account, not our portal; per shard on Citus',
  portal_domains_one_verified_owner:
    'a verified invoice domain belongs to one portal across all portals (issue 13, finding 2); on Citus this unique index moves to a domain -> portal lookup table distributed by domain',
  invoices_public_token_key:
    'the hosted page finds an invoice by its token alone; on Citus this unique index moves to a token -> portal lookup table distributed by token',
};

let db: Knex;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  await db.destroy();
});

async function rows<T>(sql: string): Promise<T[]> {
  return ((await db.raw(sql)) as { rows: T[] }).rows;
}

describe('schema is ready to shard by portal_id', () => {
  it('every tenant table has portal_id and a primary key that starts with it', async () => {
    const tables = await rows<{ table: string; has_portal: boolean; pk_first: string | null }>(`
      SELECT c.relname AS table,
             EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'portal_id' AND NOT a.attisdropped) AS has_portal,
             (SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
               WHERE i.indrelid = c.oid AND i.indisprimary) AS pk_first
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'
       ORDER BY 1`);
    expect(tables.length).toBeGreaterThan(10);
    const wrong = tables.filter((t) => !(t.table in GLOBAL_TABLES) && !(t.has_portal && t.pk_first === 'portal_id'));
    expect(wrong).toEqual([]);
  });

  it('every index of a tenant table leads with portal_id, except the listed sweeps', async () => {
    const indexes = await rows<{ table: string; index: string; first: string | null; unique: boolean }>(`
      SELECT c.relname AS table, ic.relname AS index, a.attname AS first, i.indisunique AS unique
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
       WHERE n.nspname = 'public'`);
    const wrong = indexes.filter((i) => !(i.table in GLOBAL_TABLES) && i.first !== 'portal_id' && !(i.index in CROSS_PORTAL_INDEXES));
    expect(wrong).toEqual([]);
    // The exceptions still exist (a stale list would hide a new one), and only one is unique.
    const names = new Set(indexes.map((i) => i.index));
    for (const name of Object.keys(CROSS_PORTAL_INDEXES)) expect(names, name).toContain(name);
  });

  it('every foreign key between tenant tables goes through portal_id', async () => {
    const fks = await rows<{ name: string; table: string; first: string }>(`
      SELECT con.conname AS name, c.relname AS table,
             (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = con.conrelid AND a.attnum = con.conkey[1]) AS first
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND con.contype = 'f'`);
    expect(fks.length).toBeGreaterThan(3);
    const wrong = fks.filter((fk) => !(fk.table in GLOBAL_TABLES) && fk.first !== 'portal_id');
    expect(wrong).toEqual([]);
  });
});
