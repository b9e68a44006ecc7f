import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Resolver } from 'node:dns';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isTimeZone } from './domain/dates.js';

/** What the README's configuration table and `.env.example` say about a variable. */
export interface EnvDoc {
  /** What it means, for the README (markdown). */
  doc: string;
  /** Its default, for the README (markdown); `unset` when it has none. */
  default: string;
}

/** Documentation of each variable, kept next to its schema so the generated docs cannot drift. */
const envDocs = z.registry<EnvDoc>();

/** The export bounds' defaults (also what startExport uses when given no config, e.g. in the benchmark). */
export const EXPORT_LIMIT_DEFAULTS = Object.freeze({ maxConcurrent: 2, writeTimeoutSeconds: 60, idleTimeoutSeconds: 120 });

/**
 * Environment schema. This module is the only reader of `process.env`; everything else gets the
 * frozen `Config` object. Each variable is documented where it is declared (`envDocs`), and
 * `npm run docs:config` writes the README's table and `.env.example` from it.
 */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).register(envDocs, { doc: 'listen port', default: '`3000`' }),
  PUBLIC_BASE_URL: z.url().optional().register(envDocs, {
    doc: "the service's public origin: links such as `hostedUrl`, HubSpot signature checks, `permittedUrls.fetch` of the HubSpot project",
    default: '`http://localhost:$PORT`',
  }),
  DATABASE_URL: z.string().min(1).optional().register(envDocs, { doc: 'PostgreSQL connection string; unset = embedded PGlite', default: 'unset' }),
  DATA_DIR: z
    .string()
    .min(1)
    .default('.data')
    .register(envDocs, { doc: 'where PGlite keeps its files (`$DATA_DIR/pglite`) and generated secrets', default: '`.data`' }),
  API_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional().register(envDocs, {
    doc: 'HS256 secret for API tokens, OAuth state and export download links (>= 32 characters)',
    default: 'generated into `$DATA_DIR/secrets.json` in embedded mode; required with `DATABASE_URL`',
  }),
  API_TOKEN_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(365).register(envDocs, {
    doc: 'longest lifetime of an API token in days: `npm run token -- --expires` above it is refused, and so is a token issued for longer',
    default: '`365`',
  }),
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional()
    .register(envDocs, {
      doc: '32-byte base64 key sealing OAuth tokens and webhook secrets at rest (`openssl rand -base64 32`)',
      default: 'as `API_TOKEN_SECRET`',
    }),
  TOKEN_ENCRYPTION_KEY_PREVIOUS: z
    .string()
    .refine((v) => v.split(',').every((k) => Buffer.from(k.trim(), 'base64').length === 32), 'must be 32-byte base64 keys, comma-separated')
    .optional()
    .register(envDocs, { doc: 'keys being rotated out (comma-separated): values sealed with them still open (docs/operations.md)', default: 'unset' }),
  HUBSPOT_CLIENT_ID: z.string().min(1).optional().register(envDocs, {
    doc: "the HubSpot app's OAuth client id; required with `DATABASE_URL` or `NODE_ENV=production` unless `HUBSPOT_SANDBOX=true`",
    default: 'unset = local CRM sandbox (embedded development mode only)',
  }),
  HUBSPOT_CLIENT_SECRET: z.string().min(1).optional().register(envDocs, {
    doc: "the HubSpot app's client secret (OAuth, and the key of request signatures v1/v3); required with `HUBSPOT_CLIENT_ID`",
    default: 'unset = local CRM sandbox, whose secret is generated into `$DATA_DIR/secrets.json`',
  }),
  HUBSPOT_SANDBOX: z.enum(['true', 'false'], 'must be true or false').optional().register(envDocs, {
    doc: '`true`: use the local CRM sandbox even with `DATABASE_URL` or `NODE_ENV=production` (with `HUBSPOT_CLIENT_ID`/`_SECRET`, the sandbox uses those); `false`: never, missing credentials stop the service',
    default: 'sandbox only without credentials in embedded development mode (no `DATABASE_URL`, `NODE_ENV` not `production`)',
  }),
  HUBSPOT_CLIENT_SECRET_PREVIOUS: z.string().min(1).optional().register(envDocs, {
    doc: 'the client secret being rotated out: signatures made with it are still accepted (docs/operations.md)',
    default: 'unset',
  }),
  HUBSPOT_REDIRECT_URL: z
    .url()
    .optional()
    .register(envDocs, { doc: 'OAuth redirect URL registered with the app', default: '`$PUBLIC_BASE_URL/oauth/callback`' }),
  HUBSPOT_API_BASE_URL: z
    .url()
    .default('https://api.hubapi.com')
    .register(envDocs, { doc: 'HubSpot API origin (tests and proxies redirect it)', default: '`https://api.hubapi.com`' }),
  HUBSPOT_AUTHORIZE_URL: z
    .url()
    .default('https://app.hubspot.com/oauth/authorize')
    .register(envDocs, { doc: "HubSpot's OAuth consent page", default: '`https://app.hubspot.com/oauth/authorize`' }),
  HUBSPOT_SANDBOX_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(0)
    .register(envDocs, { doc: 'loopback port of the local CRM sandbox (sandbox mode only)', default: '`0` (any free port)' }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .register(envDocs, { doc: 'pino level (`silent` to mute)', default: '`info`' }),
  DEFAULT_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Amsterdam')
    .default('UTC')
    .register(envDocs, { doc: 'time zone of portals created from now on (each portal can change its own)', default: '`UTC`' }),
  NODE_ENV: z.string().optional().register(envDocs, {
    doc: '`production` requires HubSpot credentials (no sandbox unless `HUBSPOT_SANDBOX=true`)',
    default: 'unset',
  }),
  WEBHOOK_ALLOW_LOOPBACK: z.enum(['true', 'false'], 'must be true or false').optional().register(envDocs, {
    doc: '`true`/`false`: webhook endpoints may be on this machine (loopback only: `127.0.0.0/8`, `::1`; plain `http://` to `localhost`, `127.0.0.1` or `[::1]`); for local development and tests, never in production',
    default: '`false`, in every mode',
  }),
  STRIPE_SECRET_KEY: z.string().min(1).optional().register(envDocs, {
    doc: "the Stripe platform's secret key (`sk_...`); with the two below it turns online payments on",
    default: 'unset = online payments off (manual payments still work)',
  }),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional().register(envDocs, {
    doc: "signing secret (`whsec_...`) of the platform's Connect webhook endpoint `$PUBLIC_BASE_URL/webhooks/stripe`",
    default: 'unset',
  }),
  STRIPE_CONNECT_CLIENT_ID: z.string().min(1).optional().register(envDocs, {
    doc: "the platform's Connect OAuth client id (`ca_...`); register `$PUBLIC_BASE_URL/stripe/oauth/callback` as its redirect URI",
    default: 'unset',
  }),
  STRIPE_API_BASE_URL: z
    .url()
    .default('https://api.stripe.com')
    .register(envDocs, { doc: 'Stripe API origin, also for the OAuth token calls (tests and proxies redirect it)', default: '`https://api.stripe.com`' }),
  HOSTED_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(120)
    .register(envDocs, { doc: 'requests per minute (and burst) one client IP may make to `/i/*`, per process', default: '`120`' }),
  DNS_RESOLVER: z
    .string()
    .optional()
    .refine((v) => v === undefined || validDnsServers(v), 'must be comma-separated IP addresses, each optionally with :port ([ipv6]:port)')
    .register(envDocs, {
      doc: 'DNS servers that verify invoice domains (the `_invoicing-challenge` TXT record), comma-separated `ip` or `ip:port`; in development, a local DNS server that holds the record (docs/security.md)',
      default: "unset = the system's DNS servers",
    }),
  EXPORT_MAX_CONCURRENT: z.coerce.number().int().min(1).max(100).default(EXPORT_LIMIT_DEFAULTS.maxConcurrent).register(envDocs, {
    doc: 'exports one portal may run at once, across all processes (HTTP, download links, CLI); one more is a 429 with `Retry-After`',
    default: '`2`',
  }),
  EXPORT_WRITE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(EXPORT_LIMIT_DEFAULTS.writeTimeoutSeconds).register(envDocs, {
    doc: "seconds an export response may wait for a client that stopped reading; then it is cut and the export's transaction, connection and locks are released",
    default: '`60`',
  }),
  EXPORT_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(EXPORT_LIMIT_DEFAULTS.idleTimeoutSeconds).register(envDocs, {
    doc: "`idle_in_transaction_session_timeout` of an export's transaction (PostgreSQL ends a session left idle this long, releasing its locks); keep it above `EXPORT_WRITE_TIMEOUT_SECONDS`",
    default: '`120`',
  }),
  OAUTH_INSTALL_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30).register(envDocs, {
    doc: 'requests per minute (and burst) one client IP may make to `/oauth/install` (each writes an OAuth state row), per process',
    default: '`30`',
  }),
  METRICS_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .optional()
    .register(envDocs, { doc: 'serves `/metrics` (no authentication) on this separate port; keep it private', default: 'unset' }),
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional().register(envDocs, {
    doc: 'serves `/metrics` on the API listener to `Authorization: Bearer <METRICS_TOKEN>` (>= 32 characters); with neither this nor `METRICS_PORT`, the API listener has no `/metrics`',
    default: 'unset',
  }),
});

/** Every environment variable the service reads, with its documentation, in schema order. */
export function environmentVariables(): Array<{ name: string } & EnvDoc> {
  return Object.entries(schema.shape).map(([name, field]) => {
    const doc = envDocs.get(field);
    if (!doc) throw new Error(`config: ${name} has no documentation (register it with envDocs)`);
    return { name, ...doc };
  });
}

/** Parsed, validated and frozen service configuration. */
export interface Config {
  readonly port: number;
  readonly publicBaseUrl: string;
  /** `null` means embedded PGlite. */
  readonly databaseUrl: string | null;
  /** Absolute path of the embedded data directory. */
  readonly dataDir: string;
  readonly apiTokenSecret: string;
  /** The longest lifetime an API token may have, in days (issuing and checking). */
  readonly apiTokenMaxDays: number;
  readonly tokenEncryptionKey: string;
  /** Older keys that still open sealed values during a key rotation. */
  readonly previousTokenEncryptionKeys: readonly string[];
  readonly logLevel: string;
  readonly defaultTimeZone: string;
  readonly hubspot: HubSpotConfig;
  readonly webhooks: WebhooksConfig;
  /** `null` when the Stripe keys are not set: online payments are off. */
  readonly stripe: StripeConfig | null;
  /** Hosted invoice pages (/i/*): requests per minute per client IP, per process. */
  readonly hostedRateLimitPerMinute: number;
  /** Requests per minute one client IP may make to `/oauth/install` (each stores a state row). */
  readonly oauthInstallRateLimitPerMinute: number;
  readonly metrics: MetricsConfig;
  /** DNS servers for domain verification (`ip` or `ip:port`); empty: the system's. */
  readonly dnsServers: readonly string[];
  readonly exports: ExportsConfig;
}

/** The bounds of an export (issue 13, finding 4). */
export interface ExportsConfig {
  /** Exports one portal may run at once, across processes. */
  readonly maxConcurrent: number;
  /** Seconds a response may wait for a client that stopped reading before it is cut. */
  readonly writeTimeoutSeconds: number;
  /** idle_in_transaction_session_timeout of an export's transaction, in seconds. */
  readonly idleTimeoutSeconds: number;
}

/** Where `/metrics` is served: the business counters of every tenant are not public. */
export interface MetricsConfig {
  /** A separate listener's port; null when none. */
  readonly port: number | null;
  /** The bearer token that opens `/metrics` on the API listener; null: not served there. */
  readonly token: string | null;
}

/** Outbound webhooks. */
export interface WebhooksConfig {
  /** Loopback endpoints (and plain http to a loopback name) are accepted: development and tests only. Default false. */
  readonly allowLoopback: boolean;
}

/** How the service reaches Stripe (the platform account; portals connect theirs through Connect). */
export interface StripeConfig {
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly connectClientId: string;
  readonly apiBaseUrl: string;
}

/** How the service reaches HubSpot. In `sandbox` mode main.ts starts the local emulator and fills in its URL. */
export interface HubSpotConfig {
  readonly mode: 'live' | 'sandbox';
  readonly clientId: string;
  readonly clientSecret: string;
  /** The secret being rotated out, still accepted on signatures; null when none. */
  readonly previousClientSecret: string | null;
  readonly redirectUrl: string;
  readonly apiBaseUrl: string;
  readonly authorizeUrl: string;
  readonly sandboxPort: number;
}

/** Thrown with every problem listed, so an operator fixes them all in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration from `env` (default `process.env`). In embedded mode missing secrets
 * are generated once and kept in `DATA_DIR/secrets.json`, so tokens survive restarts; with a
 * real database they must be given, because several processes must agree on them.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable (`DATABASE_URL= npm start`) means unset, as in most shells' intent.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const problems: string[] = [];
  let apiTokenSecret = e.API_TOKEN_SECRET;
  let tokenEncryptionKey = e.TOKEN_ENCRYPTION_KEY;
  if (!apiTokenSecret || !tokenEncryptionKey) {
    if (e.DATABASE_URL) {
      if (!apiTokenSecret) problems.push('API_TOKEN_SECRET: required when DATABASE_URL is set');
      if (!tokenEncryptionKey) problems.push('TOKEN_ENCRYPTION_KEY: required when DATABASE_URL is set');
    } else {
      const kept = embeddedSecrets(dataDir);
      apiTokenSecret ??= kept.apiTokenSecret;
      tokenEncryptionKey ??= kept.tokenEncryptionKey;
    }
  }
  if (Boolean(e.HUBSPOT_CLIENT_ID) !== Boolean(e.HUBSPOT_CLIENT_SECRET)) {
    problems.push('HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET: set both (live HubSpot) or neither (local sandbox)');
  }
  const hubspotMode = chooseHubSpotMode(e);
  if (hubspotMode === null) {
    problems.push(
      `HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET: required ${e.DATABASE_URL ? 'when DATABASE_URL is set' : e.NODE_ENV === 'production' ? 'with NODE_ENV=production' : 'with HUBSPOT_SANDBOX=false'}; ` +
        "set them to your HubSpot app's credentials (the local CRM sandbox runs only in embedded development mode, or with HUBSPOT_SANDBOX=true)",
    );
  }
  const stripeKeys = [e.STRIPE_SECRET_KEY, e.STRIPE_WEBHOOK_SECRET, e.STRIPE_CONNECT_CLIENT_ID];
  if (stripeKeys.some(Boolean) && !stripeKeys.every(Boolean)) {
    problems.push('STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_CONNECT_CLIENT_ID: set all three (online payments) or none');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const hubspot: HubSpotConfig = Object.freeze({
    mode: hubspotMode!,
    clientId: e.HUBSPOT_CLIENT_ID ?? 'sandbox-client',
    // A sandbox's secret still verifies card signatures and webhooks: a constant would be public,
    // so without an explicit one it is random per data directory, kept with the other secrets.
    clientSecret: e.HUBSPOT_CLIENT_SECRET ?? embeddedSecrets(dataDir).hubspotSandboxClientSecret,
    previousClientSecret: e.HUBSPOT_CLIENT_SECRET_PREVIOUS ?? null,
    redirectUrl: e.HUBSPOT_REDIRECT_URL ?? `${publicBaseUrl}/oauth/callback`,
    apiBaseUrl: e.HUBSPOT_API_BASE_URL.replace(/\/+$/, ''),
    authorizeUrl: e.HUBSPOT_AUTHORIZE_URL,
    sandboxPort: e.HUBSPOT_SANDBOX_PORT,
  });
  return Object.freeze({
    port: e.PORT,
    publicBaseUrl,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir,
    apiTokenSecret: apiTokenSecret!,
    apiTokenMaxDays: e.API_TOKEN_MAX_DAYS,
    tokenEncryptionKey: tokenEncryptionKey!,
    previousTokenEncryptionKeys: Object.freeze(
      (e.TOKEN_ENCRYPTION_KEY_PREVIOUS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k !== ''),
    ),
    logLevel: e.LOG_LEVEL,
    defaultTimeZone: e.DEFAULT_TIME_ZONE,
    hubspot,
    webhooks: Object.freeze({
      // Off unless asked for, whatever NODE_ENV says: `npm start` sets no NODE_ENV, and a webhook
      // reaching this machine's own services is the SSRF this guards against (issue 13).
      allowLoopback: e.WEBHOOK_ALLOW_LOOPBACK === 'true',
    }),
    stripe: e.STRIPE_SECRET_KEY
      ? Object.freeze({
          secretKey: e.STRIPE_SECRET_KEY,
          webhookSecret: e.STRIPE_WEBHOOK_SECRET!,
          connectClientId: e.STRIPE_CONNECT_CLIENT_ID!,
          apiBaseUrl: e.STRIPE_API_BASE_URL.replace(/\/+$/, ''),
        })
      : null,
    hostedRateLimitPerMinute: e.HOSTED_RATE_LIMIT_PER_MINUTE,
    oauthInstallRateLimitPerMinute: e.OAUTH_INSTALL_RATE_LIMIT_PER_MINUTE,
    metrics: Object.freeze({ port: e.METRICS_PORT ?? null, token: e.METRICS_TOKEN ?? null }),
    dnsServers: Object.freeze(dnsServerList(e.DNS_RESOLVER)),
    exports: Object.freeze({
      maxConcurrent: e.EXPORT_MAX_CONCURRENT,
      writeTimeoutSeconds: e.EXPORT_WRITE_TIMEOUT_SECONDS,
      idleTimeoutSeconds: e.EXPORT_IDLE_TIMEOUT_SECONDS,
    }),
  });
}

/**
 * `live` with the app's credentials; `sandbox` when asked (`HUBSPOT_SANDBOX=true`) or, without
 * credentials, in embedded development mode; null (a configuration error) otherwise: a service on
 * a real database or in production must not fall back to a local emulator and its secret.
 */
function chooseHubSpotMode(e: z.infer<typeof schema>): HubSpotConfig['mode'] | null {
  if (e.HUBSPOT_SANDBOX === 'true') return 'sandbox';
  if (e.HUBSPOT_CLIENT_ID && e.HUBSPOT_CLIENT_SECRET) return 'live';
  const embeddedDevelopment = !e.DATABASE_URL && e.NODE_ENV !== 'production';
  return embeddedDevelopment && e.HUBSPOT_SANDBOX !== 'false' ? 'sandbox' : null;
}

interface EmbeddedSecrets {
  apiTokenSecret: string;
  tokenEncryptionKey: string;
  /** The local HubSpot sandbox's client secret (added to older files on first use). */
  hubspotSandboxClientSecret: string;
}

function newSecrets(): EmbeddedSecrets {
  return {
    apiTokenSecret: randomBytes(32).toString('base64url'),
    tokenEncryptionKey: randomBytes(32).toString('base64'),
    hubspotSandboxClientSecret: randomBytes(32).toString('base64url'),
  };
}

function embeddedSecrets(dataDir: string): EmbeddedSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return completed(file);
  mkdirSync(dataDir, { recursive: true });
  const secrets = newSecrets();
  try {
    // 0600: these are the keys to every portal's data on this machine. 'wx' so that two
    // processes starting at once cannot end up with different secrets.
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
    return secrets;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return completed(file);
  }
}

/**
 * The secrets in `file`, with the ones a newer version added generated into it. Written to a
 * temporary file and renamed, so a reader never sees half a file; read back afterwards, so two
 * processes upgrading at once both use whichever write landed last.
 */
function completed(file: string): EmbeddedSecrets {
  const kept = JSON.parse(readFileSync(file, 'utf8')) as Partial<EmbeddedSecrets>;
  if (kept.hubspotSandboxClientSecret) return kept as EmbeddedSecrets;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ ...kept, hubspotSandboxClientSecret: newSecrets().hubspotSandboxClientSecret }, null, 2), { mode: 0o600 });
  renameSync(temporary, file);
  return JSON.parse(readFileSync(file, 'utf8')) as EmbeddedSecrets;
}

function dnsServerList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** What node:dns `setServers` accepts, checked by asking it (it throws on anything else). */
function validDnsServers(value: string): boolean {
  const list = dnsServerList(value);
  if (list.length === 0) return false;
  try {
    new Resolver().setServers(list);
    return true;
  } catch {
    return false;
  }
}
