import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApp } from './app.js';
import { SCOPES } from './app/actor.js';
import { issueApiToken } from './app/api-tokens.js';
import { ConfigError, loadConfig } from './config.js';
import { connect, migrateToLatest } from './db/connect.js';

/** The portal the printed sample token is for, on a fresh embedded install. */
const SAMPLE_PORTAL_ID = 1234567;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization', '*.accessToken', '*.refreshToken'] });
  let where: string;
  let db;
  if (config.databaseUrl) {
    db = connect({ url: config.databaseUrl });
    where = `PostgreSQL at ${new URL(config.databaseUrl).host}`;
  } else {
    const dataDir = join(config.dataDir, 'pglite');
    mkdirSync(dataDir, { recursive: true });
    db = connect({ dataDir });
    where = `embedded PostgreSQL (PGlite) in ${dataDir}`;
  }
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  const app = createApp({ db, config, logger, clock: () => new Date() });
  const server = app.listen(config.port, () => {
    const tokenHint = config.databaseUrl
      ? 'get an API token with: npm run token -- --portal <id> --user <id>'
      : `sample API token for portal ${SAMPLE_PORTAL_ID}: ${issueApiToken(config.apiTokenSecret, { portalId: SAMPLE_PORTAL_ID, userId: '1', scopes: SCOPES })} (more with: npm run token -- --portal <id> --user <id>)`;
    logger.info(`listening on ${config.publicBaseUrl}; data in ${where}; ${tokenHint}`);
  });
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      void db.destroy().then(() => process.exit(0));
    });
    // Bounded: connections that linger past 10 s are cut.
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
