import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { SCOPES } from './domain/actor.js';
import { issueApiToken } from './app/api-tokens.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { connect, migrateToLatest } from './db/connect.js';
import type { JobQueue } from './app/ports/job-queue.js';
import { HubSpotCrmAdapter } from './integrations/hubspot/crm-adapter.js';
import { HubSpotTaxRatesAdapter } from './integrations/hubspot/tax-rates-adapter.js';
import { DEFAULT_LIMIT } from './integrations/hubspot/http-retry.js';
import { HubSpotInvoiceMirrorAdapter } from './integrations/hubspot/invoice-mirror-adapter.js';
import { HubSpotJournalAdapter } from './integrations/hubspot/journal-adapter.js';
import { SlidingWindowLimiter } from './integrations/hubspot/rate-limiter.js';
import { createHubSpotServices } from './composition/hubspot-services.js';
import { InProcessQueue } from './jobs/in-process-queue.js';
import { registerInvoiceMirrorJobs, startInvoiceMirrorSweep } from './jobs/invoice-mirror-jobs.js';
import { PgBossQueue } from './jobs/pg-boss-queue.js';
import { registerWebhookJobs, startWebhookSchedule } from './jobs/webhook-jobs.js';
import { registerHubSpotJournalJobs, startHubSpotJournalSchedule } from './jobs/hubspot-journal-jobs.js';
import { registerHousekeepingJobs, scheduleHousekeeping } from './jobs/housekeeping-jobs.js';
import { createStripeAdapter } from './integrations/stripe/stripe-adapter.js';
import { createTxtResolver } from './integrations/dns/txt-resolver.js';
import { createWebhookHttpClient } from './integrations/webhooks/http-client.js';
import { metricsApp } from './http/metrics.js';
import { createLogger } from './observability/logger.js';
import { collectProcessMetrics, setJobQueueDepthReader } from './observability/metrics.js';
import { loadHubSpotSandbox } from './sandbox-loader.js';
import type { CrmSandbox } from '../tools/hubspot-sandbox/index.js';

function openDatabase(config: Config): { db: Knex; where: string } {
  if (config.databaseUrl) return { db: connect({ url: config.databaseUrl }), where: `PostgreSQL at ${new URL(config.databaseUrl).host}` };
  const dataDir = join(config.dataDir, 'pglite');
  mkdirSync(dataDir, { recursive: true });
  return { db: connect({ dataDir }), where: `embedded PostgreSQL (PGlite) in ${dataDir}` };
}

/**
 * In sandbox mode (embedded development without HubSpot credentials, or `HUBSPOT_SANDBOX=true`;
 * see loadConfig) a local HubSpot emulator stands in for api.hubapi.com, with the config's client
 * id and secret (the secret random per data directory). It is a
 * development tool in `tools/hubspot-sandbox/`, imported dynamically here only, so live mode never
 * loads it and the production image does not contain it (a build without it says so and exits).
 */
async function withSandbox(config: Config, logger: Logger): Promise<{ config: Config; sandbox: CrmSandbox | null; sampleHubId: number | null }> {
  if (config.hubspot.mode !== 'sandbox') return { config, sandbox: null, sampleHubId: null };
  const { SANDBOX_HUB_ID, startCrmSandbox } = await loadHubSpotSandbox();
  // The sandbox sends its CRM changes to our webhook route, signed for the public URL as HubSpot signs.
  const webhooks = { url: `http://127.0.0.1:${config.port}/webhooks/hubspot`, signedUrl: `${config.publicBaseUrl}/webhooks/hubspot` };
  const sandbox = await startCrmSandbox({
    port: config.hubspot.sandboxPort,
    clientId: config.hubspot.clientId,
    clientSecret: config.hubspot.clientSecret,
    webhooks,
  });
  logger.info(`HubSpot sandbox mode: using the local CRM sandbox at ${sandbox.url} (sample portal ${SANDBOX_HUB_ID})`);
  const hubspot = { ...config.hubspot, apiBaseUrl: sandbox.url, authorizeUrl: `${sandbox.url}/oauth/authorize` };
  return { config: Object.freeze({ ...config, hubspot: Object.freeze(hubspot) }), sandbox, sampleHubId: SANDBOX_HUB_ID };
}

/**
 * Installs the sample portal in the sandbox through the real OAuth flow: our /oauth/install
 * redirects to the emulator's consent page, which consents at once and redirects back to our
 * callback. The emulator keeps nothing across restarts, so this runs at every boot.
 */
async function installSamplePortal(config: Config, hubId: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${config.port}/oauth/install`, { redirect: 'follow' });
  if (!res.ok) throw new Error(`sandbox install of portal ${hubId} failed with HTTP ${res.status}: ${await res.text()}`);
}

async function main(): Promise<void> {
  const loaded = loadConfig();
  const logger = createLogger(loaded.logLevel);
  collectProcessMetrics();
  const { config, sandbox, sampleHubId } = await withSandbox(loaded, logger);
  const { db, where } = openDatabase(config);
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  const clock = () => new Date();
  // One HubSpot token provider and one CRM adapter per process: refreshes are single-flight and
  // the per-portal rate limiter is shared by every request of this process.
  // One per-portal request budget for the request path and the background jobs alike.
  const limiter = new SlidingWindowLimiter(DEFAULT_LIMIT);
  const hubspot = createHubSpotServices({ db, config, logger, clock }, { limiter });
  const hubspotHttp = { baseUrl: config.hubspot.apiBaseUrl, accessToken: (portalId: number) => hubspot.tokens.accessTokenFor(portalId), logger, limiter };
  const crm = new HubSpotCrmAdapter(hubspotHttp);
  // One tax rate cache per process (see tax-rates-adapter.ts for why in memory).
  const taxRates = new HubSpotTaxRatesAdapter(hubspotHttp);
  // Jobs start after the migrations; pg-boss on PostgreSQL, timers in this process on PGlite.
  const jobs: JobQueue = config.databaseUrl ? new PgBossQueue({ connectionString: config.databaseUrl, logger }) : new InProcessQueue({ logger });
  const mirror = new HubSpotInvoiceMirrorAdapter(hubspotHttp);
  await registerInvoiceMirrorJobs({ db, config, logger, clock, mirror, jobs });
  // The client connects only to addresses it checked at connect time (loopback only with WEBHOOK_ALLOW_LOOPBACK).
  const webhookHttp = createWebhookHttpClient({ allowLoopback: config.webhooks.allowLoopback });
  const webhookWorker = await registerWebhookJobs({ db, config, logger, clock, jobs, webhookHttp });
  // Uninstalls come from HubSpot's webhooks journal (app lifecycle events), read with the app's own credentials.
  const { clientId, clientSecret, apiBaseUrl } = config.hubspot;
  const journal = new HubSpotJournalAdapter({ baseUrl: apiBaseUrl, clientId, clientSecret, logger });
  await registerHubSpotJournalJobs({ db, clock, logger, jobs, journal });
  await registerHousekeepingJobs({ db, config, logger, clock, jobs });
  await jobs.start();
  await scheduleHousekeeping({ jobs });
  setJobQueueDepthReader(jobs.depths ? () => jobs.depths!() : null);
  const sweep = startInvoiceMirrorSweep({ db, clock, logger, jobs });
  const webhookSchedule = startWebhookSchedule({ logger, jobs });
  // The sandbox polls often, so an uninstall made there shows within seconds.
  const journalSchedule = startHubSpotJournalSchedule({ logger, jobs }, config.hubspot.mode === 'sandbox' ? 5_000 : undefined);
  // Online payments exist only with Stripe keys; without them the service runs with manual payments.
  const stripe = config.stripe ? createStripeAdapter(config.stripe) : undefined;
  // Domain verification asks real DNS in every mode (no development shortcut; docs/security.md).
  const resolver = createTxtResolver({ servers: config.dnsServers });
  const app = createApp({ db, config, logger, clock, crm, taxRates, hubspot, jobs, resolver, ...(stripe ? { stripe } : {}) });
  const server = app.listen(config.port);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  // Metrics show every tenant's counters: on their own port when asked, never public by default.
  const metricsServer = config.metrics.port === null ? null : metricsApp().listen(config.metrics.port);
  if (metricsServer) await new Promise<void>((resolve, reject) => metricsServer.once('listening', resolve).once('error', reject));
  if (sampleHubId !== null) await installSamplePortal(config, sampleHubId);
  // A sample token only for the sandbox's sample portal (live HubSpot has no such portal).
  const tokenHint =
    config.databaseUrl || sampleHubId === null
      ? 'get an API token with: npm run token -- --portal <id> --user <id>'
      : `sample API token for portal ${sampleHubId}: ${issueApiToken(config.apiTokenSecret, { portalId: sampleHubId, userId: '1', scopes: SCOPES, expiresIn: `${Math.min(90, config.apiTokenMaxDays)}d` })} (more with: npm run token -- --portal <id> --user <id>)`;
  logger.info(`listening on ${config.publicBaseUrl}; data in ${where}; ${tokenHint}`);

  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    metricsServer?.close();
    server.close(() => {
      // Jobs stop (running ones finish) before the database they write to closes. Webhook requests
      // in flight are cut rather than awaited: their deliveries go back to the outbox for the next start.
      webhookSchedule.stop();
      journalSchedule.stop();
      webhookWorker.abort();
      void sweep
        .stop()
        .then(() => jobs.stop())
        .catch((err: unknown) => logger.error({ err }, 'stopping the job queue failed'))
        .then(() => Promise.all([db.destroy(), sandbox?.close(), webhookHttp.close()]))
        .then(() => process.exit(0));
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
