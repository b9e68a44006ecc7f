import { parseArgs } from 'node:util';
import { SCOPES, type Scope } from '../domain/actor.js';
import { issueApiToken } from '../app/api-tokens.js';
import { ConfigError, loadConfig } from '../config.js';

/**
 * `npm run token -- --portal 123 --user 1 [--scopes invoices:read,invoices:write] [--expires 30d]`
 * Prints an API token. It never opens the database, so it works while the embedded service runs.
 */
function main(): void {
  const { values } = parseArgs({
    options: {
      portal: { type: 'string' },
      user: { type: 'string', default: '1' },
      scopes: { type: 'string', default: SCOPES.join(',') },
      expires: { type: 'string', default: '30d' },
    },
  });
  const portalId = Number(values.portal);
  if (!values.portal || !Number.isSafeInteger(portalId) || portalId <= 0) {
    fail('--portal <HubSpot portal id> is required (a positive integer)');
  }
  const scopes = values.scopes!.split(',').map((s) => s.trim());
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) fail(`unknown scopes: ${unknown.join(', ')} (known: ${SCOPES.join(', ')})`);
  if (!/^\d+[smhd]$/.test(values.expires!)) fail('--expires must look like 30d, 12h, 45m or 3600s');
  const config = loadConfig();
  console.log(issueApiToken(config.apiTokenSecret, { portalId, userId: values.user!, scopes: scopes as Scope[], expiresIn: values.expires! }));
}

function fail(message: string): never {
  console.error(`token: ${message}`);
  process.exit(2);
}

try {
  main();
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}
