import { join } from 'node:path';
import { resealSecrets } from '../app/reseal-secrets.js';
import { configuredSecretBox } from '../app/secret-box.js';
import { loadConfig } from '../config.js';
import { connect } from '../db/connect.js';

/**
 * `npm run secrets:reseal`: seals every stored secret again under TOKEN_ENCRYPTION_KEY, opening
 * it with that key or one of TOKEN_ENCRYPTION_KEY_PREVIOUS (key rotation, docs/operations.md).
 * Exits 1 when a value opens under none of them.
 */
const config = loadConfig();
const db = config.databaseUrl ? connect({ url: config.databaseUrl }) : connect({ dataDir: join(config.dataDir, 'pglite') });
try {
  const reports = await resealSecrets(db, configuredSecretBox(config));
  for (const r of reports) {
    console.log(
      `${r.table}.${r.column}: ${r.resealed} resealed${r.unreadable.length ? `, ${r.unreadable.length} unreadable (${r.unreadable.slice(0, 10).join(', ')})` : ''}`,
    );
  }
  if (reports.some((r) => r.unreadable.length > 0)) process.exitCode = 1;
} finally {
  await db.destroy();
}
