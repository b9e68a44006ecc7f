import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { connect, migrateToLatest } from '../db/connect.js';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
const config = loadConfig();
const db = config.databaseUrl ? connect({ url: config.databaseUrl }) : connect({ dataDir: join(config.dataDir, 'pglite') });
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'already up to date');
} finally {
  await db.destroy();
}
