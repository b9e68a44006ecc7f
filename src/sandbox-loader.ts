import { fileURLToPath } from 'node:url';
import type * as HubSpotSandbox from '../tools/hubspot-sandbox/index.js';
import { ConfigError } from './config.js';

/** The local HubSpot emulator's module (`tools/hubspot-sandbox/`), as main.ts uses it. */
export type HubSpotSandboxModule = typeof HubSpotSandbox;

/**
 * Where the emulator lives, relative to this file. It is a development and test tool outside
 * `src/`, so the production image (which copies `src` and `migrations` only) does not contain it.
 */
export const HUBSPOT_SANDBOX_MODULE = '../tools/hubspot-sandbox/index.js';

/** What a build without the emulator says when started without HubSpot app credentials. */
export const SANDBOX_MISSING_MESSAGE =
  'the local HubSpot sandbox is a development tool and is not in this build; set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET ' +
  "to your HubSpot app's credentials (or run `npm start` from a source checkout to use the sandbox)";

/**
 * Loads the local HubSpot emulator. A dynamic import, so the service's runtime path never
 * loads (or needs) it unless `config.hubspot.mode === 'sandbox'`. If the module itself is
 * missing (a production build), throws a ConfigError that main.ts prints as one line instead
 * of a stack trace; any other failure (a dependency of the emulator missing, a syntax error)
 * is rethrown as it is, because hiding it would send the reader to the wrong cause.
 * `specifier` is for tests.
 */
export async function loadHubSpotSandbox(specifier: string = HUBSPOT_SANDBOX_MODULE): Promise<HubSpotSandboxModule> {
  // Resolved here, so the error names the same absolute path under Node, tsx and vitest.
  const url = new URL(specifier, import.meta.url);
  try {
    return (await import(url.href)) as HubSpotSandboxModule;
  } catch (err) {
    if (isMissing(err, url)) throw new ConfigError([SANDBOX_MISSING_MESSAGE]);
    throw err;
  }
}

/** True when `err` says that `wanted` itself was not found (not one of its imports). */
function isMissing(err: unknown, wanted: URL): boolean {
  if (!(err instanceof Error) || (err as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') return false;
  // Node and tsx name the missing file by path (tsx may have tried .ts for .js), vitest by URL;
  // a missing package the emulator imports names that package instead.
  const stems = [wanted.href, fileURLToPath(wanted)].map((s) => s.replace(/\.js$/, ''));
  const url = (err as { url?: unknown }).url;
  return stems.some((stem) => err.message.includes(`'${stem}.`) || (typeof url === 'string' && url.startsWith(`${stem}.`)));
}
