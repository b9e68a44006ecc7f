import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SCOPES, type Scope } from '../domain/actor.js';
import { DEFAULT_TOKEN_LIFETIME, decodeApiToken, issueApiToken, lifetimeSeconds } from '../app/api-tokens.js';
import { revokeApiToken } from '../app/revoke-api-token.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { connect, migrateToLatest } from '../db/connect.js';

/**
 * `npm run token -- --portal 123 --user 1 [--scopes invoices:read,invoices:write] [--expires 30d]`
 * prints an API token (default lifetime 90 days, at most API_TOKEN_MAX_DAYS) and, on stderr, its
 * id; issuing never opens the database, so it works while the embedded service runs.
 * `npm run token -- --revoke <jti> --portal 123` revokes a token at once (this opens the database).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      portal: { type: 'string' },
      user: { type: 'string', default: '1' },
      scopes: { type: 'string', default: SCOPES.join(',') },
      expires: { type: 'string' },
      revoke: { type: 'string' },
    },
  });
  const portalId = Number(values.portal);
  if (!values.portal || !Number.isSafeInteger(portalId) || portalId <= 0) {
    fail('--portal <HubSpot portal id> is required (a positive integer)');
  }
  if (values.revoke !== undefined) {
    if (!/^[\w-]{1,100}$/.test(values.revoke)) fail('--revoke <jti>: the id of the token (printed when it was issued)');
    await revoke(loadConfig(), portalId, values.revoke);
    return;
  }
  const scopes = values.scopes!.split(',').map((s) => s.trim());
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) fail(`unknown scopes: ${unknown.join(', ')} (known: ${SCOPES.join(', ')})`);
  const config = loadConfig();
  // The default lifetime, unless the configured maximum is shorter.
  const expires =
    values.expires ?? (lifetimeSeconds(DEFAULT_TOKEN_LIFETIME)! > config.apiTokenMaxDays * 86_400 ? `${config.apiTokenMaxDays}d` : DEFAULT_TOKEN_LIFETIME);
  const seconds = lifetimeSeconds(expires);
  if (seconds === null || seconds <= 0) fail('--expires must look like 30d, 12h, 45m or 3600s');
  if (seconds > config.apiTokenMaxDays * 86_400) fail(`--expires may be at most ${config.apiTokenMaxDays}d (API_TOKEN_MAX_DAYS)`);
  const token = issueApiToken(config.apiTokenSecret, { portalId, userId: values.user!, scopes: scopes as Scope[], expiresIn: expires });
  const decoded = decodeApiToken(config.apiTokenSecret, token);
  console.log(token);
  // On stderr, so `$(npm run token ...)` still captures the token alone.
  if (decoded.ok)
    console.error(
      `token id (jti) ${decoded.jti}, expires ${decoded.expiresAt.toISOString()}; revoke with: npm run token -- --revoke ${decoded.jti} --portal ${portalId}`,
    );
}

async function revoke(config: Config, portalId: number, jti: string): Promise<void> {
  const db = config.databaseUrl ? connect({ url: config.databaseUrl }) : connect({ dataDir: join(config.dataDir, 'pglite') });
  try {
    // The table may be newer than the last start of the service.
    await migrateToLatest(db);
    const fresh = await revokeApiToken({ db, clock: () => new Date() }, portalId, jti);
    console.log(fresh ? `revoked token ${jti} of portal ${portalId}` : `token ${jti} of portal ${portalId} was already revoked`);
  } finally {
    await db.destroy();
  }
}

function fail(message: string): never {
  console.error(`token: ${message}`);
  process.exit(2);
}

try {
  await main();
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}
