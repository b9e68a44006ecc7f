import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import { correlationId, HubSpotError } from './errors.js';
import { bearerAuth, type SandboxDeps } from './http-helpers.js';
import { associationRoutes } from './routes-associations.js';
import { journalRoutes } from './routes-journal.js';
import { objectReadRoutes } from './routes-objects.js';
import { oauthRoutes } from './routes-oauth.js';
import { propertyRoutes } from './routes-properties.js';
import { taxRateRoutes } from './routes-tax-rates.js';
import { userRoutes } from './routes-users.js';
import { objectWriteRoutes } from './routes-writes.js';
import { defaultSeed } from './seed.js';
import { SandboxStore, type SandboxSeed } from './store.js';
import { SandboxWebhooks, type SandboxWebhookTarget } from './webhook-sender.js';

/** Numerically versioned HubSpot paths the sandbox refuses (see the middleware below). */
const LEGACY_PREFIXES = ['/oauth/v1/', '/crm/v3/', '/crm/v4/', '/settings/v3/'];

export interface CrmSandboxOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Only loopback: the sandbox has no real security. */
  host?: '127.0.0.1';
  /** The OAuth client the sandbox accepts (config.hubspot.clientId / clientSecret). */
  clientId: string;
  clientSecret: string;
  /** Added to every /crm and /oauth response, to make benchmarks see a network. */
  latencyMs?: number;
  /** Portal content; defaults to `defaultSeed()` (hub 1234567). Pass `[]` for no data at all. */
  seed?: SandboxSeed | SandboxSeed[];
  /** Clock for token expiry and timestamps (tests). */
  now?: () => number;
  /** Where to send CRM changes as signed webhooks (the service's /webhooks/hubspot); none by default. */
  webhooks?: SandboxWebhookTarget;
}

export interface CrmSandbox {
  /** Origin to use as the HubSpot API base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  close(): Promise<void>;
  store: SandboxStore;
  /** Requests to /crm, /oauth, /settings and /tax-rates since start or the last reset. */
  callCount(): number;
  resetCallCount(): void;
  /** The webhooks the sandbox sends for CRM changes (`configure`, `flush`, `sent`). */
  webhooks: SandboxWebhooks;
}

/**
 * Starts a local HubSpot API emulator on loopback: OAuth (authorize, token, token info) and the
 * CRM endpoints the invoicing service uses, answering with HubSpot's status codes and JSON shapes.
 * See README.md beside this file for the endpoint list and the seed.
 */
export async function startCrmSandbox(opts: CrmSandboxOptions): Promise<CrmSandbox> {
  const store = new SandboxStore(opts.clientId, opts.now);
  const seeds = opts.seed === undefined ? [defaultSeed()] : Array.isArray(opts.seed) ? opts.seed : [opts.seed];
  for (const s of seeds) store.load(s);
  // After the seed: loading it is not a change anyone is told about.
  const webhooks = new SandboxWebhooks(opts.clientSecret, opts.now ?? Date.now);
  webhooks.configure(opts.webhooks ?? null);
  store.onChange = (hubId, change) => webhooks.record(hubId, change);

  let calls = 0;
  let origin = '';
  const deps: SandboxDeps = { store, clientId: opts.clientId, clientSecret: opts.clientSecret, baseUrl: () => origin };
  const latencyMs = opts.latencyMs ?? 0;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(['/crm', '/oauth', '/settings', '/tax-rates'], async (_req: Request, _res: Response, next: NextFunction) => {
    calls += 1;
    if (latencyMs > 0) await sleep(latencyMs);
    next();
  });
  // HubSpot's numerically versioned APIs are announced as unsupported; refusing them here makes
  // any call that still uses one fail in tests and in `npm start` instead of silently working.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (!LEGACY_PREFIXES.some((p) => req.path.startsWith(p))) return next();
    throw new HubSpotError(410, {
      status: 'error',
      message: `${req.method} ${req.path} is a legacy HubSpot API path; the local CRM sandbox serves only the date-versioned (2026-03) endpoints`,
      category: 'GONE',
    });
  });
  // Before the OAuth routes: it answers the client-credentials grant and passes the others on.
  app.use(journalRoutes(deps));
  app.use(oauthRoutes(deps));
  app.use(['/crm', '/settings', '/tax-rates'], bearerAuth(store), express.json({ limit: '5mb' }));
  app.use(objectReadRoutes(deps));
  app.use(objectWriteRoutes(deps));
  app.use(associationRoutes(deps));
  app.use(propertyRoutes(deps));
  app.use(userRoutes(store.users));
  app.use(taxRateRoutes(store.taxRates));
  app.use((req: Request) => {
    throw new HubSpotError(404, {
      status: 'error',
      message: `No route for ${req.method} ${req.path} (the local CRM sandbox emulates only the HubSpot endpoints the invoicing service uses)`,
      category: 'OBJECT_NOT_FOUND',
    });
  });
  app.use(errorHandler);

  const server = await listen(app, opts.port ?? 0, opts.host ?? '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    store,
    webhooks,
    callCount: () => calls,
    resetCallCount: () => {
      calls = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
    server.once('error', reject);
  });
}

/** Renders HubSpot-shaped errors; a malformed JSON body is HubSpot's 400 "Invalid input JSON". */
function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (err instanceof HubSpotError) {
    res.status(err.httpStatus).json(err.body);
    return;
  }
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.parse.failed') {
    res
      .status(400)
      .json({ status: 'error', message: `Invalid input JSON: ${e.message ?? 'malformed body'}`, correlationId: correlationId(), category: 'VALIDATION_ERROR' });
    return;
  }
  if (e.type === 'entity.too.large') {
    res.status(413).json({ status: 'error', message: 'Request body too large', correlationId: correlationId(), category: 'VALIDATION_ERROR' });
    return;
  }
  console.error('crm sandbox: unexpected error', err);
  res.status(500).json({ status: 'error', message: 'internal error', correlationId: correlationId(), category: 'INTERNAL_ERROR' });
}
