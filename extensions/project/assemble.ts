/**
 * Assembles the uploadable HubSpot project (platform 2025.2) from app.json and extensions/src/app:
 *
 *   hsproject.json
 *   src/app/app-hsmeta.json          app.json, with the service origin in permittedUrls.fetch and
 *                                    the OAuth redirect URL from config
 *   src/app/package.json             the npm workspace root HubSpot documents for shared code
 *   src/app/cards/                   the record sidebar card (a workspace: its own package.json)
 *   src/app/settings/                the settings page (a workspace)
 *   src/app/pages/                   the app home page (a workspace)
 *   src/app/webhooks/                the webhook subscriptions, targetUrl = origin + /webhooks/hubspot
 *   src/app/packages/shared/         @invoices/shared, the code the three share (a workspace the
 *                                    components depend on), with the generated service config,
 *     domain/                        a copy of the service's money module (src/domain), so the
 *                                    upload is self-contained and the totals are the service's
 *     http/wire.ts                   the service's wire types (src/http/wire.ts) written out as
 *                                    plain types: in the repository they are inferred from zod
 *   src/app/local.json               only when extensions/src/app/local.json exists (git-ignored):
 *                                    the `hs project dev` proxy to a local service
 *
 * The build refuses an origin HubSpot would refuse (./origin.ts): http, localhost, private.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
import { publicServiceOrigin, ProjectOriginError } from './origin.js';
import { flattenWireTypes } from './wire-types.js';

export const PLATFORM_VERSION = '2025.2';
export const PROJECT_NAME = 'invoices-for-hubspot';

/** The UI-extension components: each an npm workspace depending on @invoices/shared. */
export const COMPONENT_DIRS = ['cards', 'settings', 'pages'] as const;

/** Where the shared package lives inside src/app, as HubSpot's npm-workspaces guide lays it out. */
export const SHARED_DIR = 'packages/shared';

/** The path the service receives HubSpot's webhooks on (src/app.ts). */
export const WEBHOOK_PATH = '/webhooks/hubspot';

/** The pure domain files the cards import, relative to src/domain (their imports must stay inside this set). */
export const DOMAIN_FILES = [
  'error-codes.ts',
  'errors.ts',
  'numbering.ts',
  'totals.ts',
  'money/index.ts',
  'money/allocate.ts',
  'money/currencies.ts',
  'money/decimal.ts',
  'money/format.ts',
  'money/rounding.ts',
];

export interface AssembleOptions {
  /** The repository root (holds app.json, src/domain and extensions/). */
  repoRoot: string;
  /** Where the project is written; emptied first. */
  outDir: string;
  /** The service's public base URL (config `PUBLIC_BASE_URL`). */
  publicBaseUrl: string;
  /** The OAuth redirect URL registered with the app (config `HUBSPOT_REDIRECT_URL`). */
  redirectUrl: string;
}

/** Tests, installed packages and the developer's own proxy file stay out of the copy. */
const isSource = (path: string) => !/\.test\.tsx?$/.test(path) && basename(path) !== 'node_modules' && !/^local\.json/.test(basename(path));

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Relative imports of a TS file (`from './x.js'`), to check the copied domain is closed. */
function relativeImports(source: string): string[] {
  return [...source.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
}

/** Builds the project and returns the paths it wrote, relative to `outDir`. */
export function assembleProject(opts: AssembleOptions): string[] {
  const { repoRoot, outDir } = opts;
  const origin = publicServiceOrigin(opts.publicBaseUrl);
  const extSrc = join(repoRoot, 'extensions', 'src', 'app');
  // Both checks run before anything is written, so a refused build leaves the last one intact.
  const localProxyPath = join(extSrc, 'local.json');
  const localProxy = existsSync(localProxyPath) ? checkedLocalProxy(readFileSync(localProxyPath, 'utf8'), origin) : null;
  const appOut = join(outDir, 'src', 'app');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(appOut, { recursive: true });

  writeJson(join(outDir, 'hsproject.json'), { name: PROJECT_NAME, srcDir: 'src', platformVersion: PLATFORM_VERSION });

  // Components, the workspace root and the shared package, as they are in the repository.
  cpSync(extSrc, appOut, { recursive: true, filter: isSource });

  const app = JSON.parse(readFileSync(join(repoRoot, 'app.json'), 'utf8'));
  app.config.auth.redirectUrls = [opts.redirectUrl];
  app.config.permittedUrls = { ...app.config.permittedUrls, fetch: [origin] };
  writeJson(join(appOut, 'app-hsmeta.json'), app);

  const webhooksPath = join(appOut, 'webhooks', 'webhooks-hsmeta.json');
  const webhooks = JSON.parse(readFileSync(webhooksPath, 'utf8'));
  webhooks.config.settings.targetUrl = `${origin}${WEBHOOK_PATH}`;
  writeJson(webhooksPath, webhooks);

  if (localProxy) writeJson(join(appOut, 'local.json'), localProxy);

  const sharedOut = join(appOut, ...SHARED_DIR.split('/'));
  // The generated config module: the only place the cards learn where the service is.
  writeFileSync(
    join(sharedOut, 'lib', 'service-config.ts'),
    [
      '// Generated by `npm run hubspot:project` from the service config (PUBLIC_BASE_URL). Do not edit.',
      `export const SERVICE_ORIGIN = ${JSON.stringify(origin)};`,
      'export const REQUEST_TIMEOUT_MS = 10_000;',
      '',
    ].join('\n'),
  );

  // The shared money module, copied and checked to be closed (no import leaves the copy).
  const domainOut = join(sharedOut, 'domain');
  const copied = new Set(DOMAIN_FILES);
  for (const file of DOMAIN_FILES) {
    const source = readFileSync(join(repoRoot, 'src', 'domain', file), 'utf8');
    for (const spec of relativeImports(source)) {
      const target = posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.js$/, '.ts');
      if (!copied.has(target)) throw new Error(`src/domain/${file} imports ${spec}, which is not copied into the project`);
    }
    mkdirSync(dirname(join(domainOut, file)), { recursive: true });
    writeFileSync(join(domainOut, file), source);
  }
  const domainLink = join(sharedOut, 'lib', 'domain.ts');
  const linked = readFileSync(domainLink, 'utf8').replaceAll("'../../../../../../src/domain/", "'../domain/");
  if (linked.includes('src/domain/')) throw new Error('shared/lib/domain.ts: an import of src/domain was not rewritten');
  writeFileSync(domainLink, linked);

  // The wire types, written out without zod; the cards import them type-only through shared/lib/wire.ts.
  const wireOut = join(sharedOut, 'http', 'wire.ts');
  mkdirSync(dirname(wireOut), { recursive: true });
  writeFileSync(wireOut, flattenWireTypes(repoRoot));
  const wireLink = join(sharedOut, 'lib', 'wire.ts');
  const wired = readFileSync(wireLink, 'utf8').replaceAll("'../../../../../../src/http/wire.js'", "'../http/wire.js'");
  if (/from\s+'[^']*src\/http\//.test(wired)) throw new Error('shared/lib/wire.ts: an import of src/http was not rewritten');
  writeFileSync(wireLink, wired);

  if (!existsSync(join(appOut, 'cards', 'InvoicesCard.tsx'))) throw new Error('the card entry point is missing');
  return listFiles(outDir)
    .map((p) => relative(outDir, p).split('\\').join('/'))
    .sort();
}

/**
 * The developer's `local.json` (HubSpot CLI proxy for `hs project dev`): `{"proxy": {"https://origin":
 * "http://localhost:port"}}`. HubSpot requires the keys to be https URLs and does not route by
 * path; a proxy that does not cover the built origin would silently send the cards elsewhere.
 */
export function checkedLocalProxy(source: string, origin: string): { proxy: Record<string, string> } {
  const fail = (why: string) => new ProjectOriginError(`extensions/src/app/local.json: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    throw fail('is not valid JSON');
  }
  const proxy = (parsed as { proxy?: unknown } | null)?.proxy;
  if (!proxy || typeof proxy !== 'object' || Array.isArray(proxy)) throw fail('must be {"proxy": {"https://<origin>": "http://localhost:<port>"}}');
  for (const [from, to] of Object.entries(proxy)) {
    const url = URL.canParse(from) ? new URL(from) : null;
    if (!url || url.protocol !== 'https:' || url.origin !== from.replace(/\/$/, ''))
      throw fail(`proxy key ${from} must be an https origin (HubSpot does not route by path)`);
    if (typeof to !== 'string' || !URL.canParse(to)) throw fail(`proxy target for ${from} must be a URL such as http://localhost:3000`);
  }
  if (!Object.keys(proxy).some((from) => new URL(from).origin === origin)) {
    throw fail(`no proxy entry for the built origin ${origin} (to build without the proxy, rename the file to local.json.bak, as HubSpot does to turn it off)`);
  }
  return { proxy: proxy as Record<string, string> };
}
