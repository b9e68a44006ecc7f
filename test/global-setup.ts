import { connect, migrateToLatest } from '../src/db/connect.js';

/**
 * With TEST_DATABASE_URL the suite runs against a real PostgreSQL server: migrate it once here.
 * Without it every test file migrates its own in-memory PGlite (test/helpers/db.ts).
 */
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const db = connect({ url });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}
