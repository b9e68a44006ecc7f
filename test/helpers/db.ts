import type { Knex } from 'knex';
import { connect, migrateToLatest } from '../../src/db/connect.js';

/** True when the suite runs against a PostgreSQL server rather than PGlite. */
export const onServer = Boolean(process.env.TEST_DATABASE_URL);

/**
 * The test database: the server from TEST_DATABASE_URL (migrated by global-setup), or a fresh
 * in-memory PGlite migrated here. Tests never share rows: each makes its own portal.
 */
export async function openTestDb(): Promise<Knex> {
  if (process.env.TEST_DATABASE_URL) return connect({ url: process.env.TEST_DATABASE_URL }, { poolMax: 20 });
  const db = connect({ memory: true });
  await migrateToLatest(db);
  return db;
}
