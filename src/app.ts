import express, { type Express } from 'express';
import type { Deps, HubSpotServices } from './app/deps.js';
import { authenticate } from './http/auth.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { exportDownloadRouter, exportsRouter } from './http/finance/exports.js';
import { reportsRouter } from './http/finance/reports.js';
import { viewsRouter } from './http/finance/views.js';
import { healthRouter } from './http/health.js';
import { hostedRouter } from './http/hosted/index.js';
import { invoicesRouter } from './http/invoices/invoices.js';
import { metricsRouter } from './http/metrics.js';
import { oauthRouter } from './http/oauth/oauth.js';
import { openApiDocument } from './http/openapi.js';
import { recordsRouter } from './http/records/records.js';
import { requestLog } from './http/request-log.js';
import { domainsRouter } from './http/settings/domains.js';
import { settingsRouter } from './http/settings/settings.js';
import { rejectUnstorableText } from './http/text-guard.js';
import { usersRouter } from './http/users/users.js';
import { hubspotWebhookRouter } from './http/webhooks/hubspot.js';
import { webhookEndpointsRouter } from './http/webhook-endpoints/webhook-endpoints.js';
import { hostedPayRouter } from './http/hosted/pay.js';
import { stripeApiRouter, stripeOAuthRouter } from './http/stripe/stripe.js';
import { stripeWebhookRouter } from './http/webhooks/stripe.js';

/**
 * Builds the Express app without listening (the test target). It only wires routes: the adapters
 * (HubSpot services, CRM, Stripe, jobs) are built by the composition root (src/main.ts, or the
 * test and bench helpers) and come in `deps`. Without `deps.stripe` the service runs with manual
 * payments only.
 */
export function createApp(deps: Deps & { hubspot: HubSpotServices }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(deps.logger));
  app.use(
    express.json({
      limit: '1mb',
      verify: (req, _res, buf) => {
        (req as express.Request).rawBody = buf;
      },
    }),
  );
  app.use(rejectUnstorableText);
  app.use(healthRouter(deps));
  app.use(metricsRouter(deps.config.metrics));
  const openApi = openApiDocument(deps.config.publicBaseUrl, { metrics: deps.config.metrics.token !== null });
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/oauth', oauthRouter(deps));
  app.use('/webhooks/hubspot', hubspotWebhookRouter(deps));
  // Hosted pages first: their rate limit also covers the pay routes below.
  app.use('/i', hostedRouter(deps));
  // express.json above keeps the raw bytes (req.rawBody) that Stripe's signature covers.
  app.use('/webhooks/stripe', stripeWebhookRouter(deps));
  app.use('/stripe/oauth', stripeOAuthRouter(deps));
  app.use(hostedPayRouter(deps));
  // Signed, short-lived export download links (a card opens them in a browser tab).
  app.use('/exports/download', exportDownloadRouter(deps));
  app.use('/api/v1', authenticate(deps));
  app.use('/api/v1/invoices', invoicesRouter(deps));
  app.use('/api/v1/settings/domains', domainsRouter(deps));
  app.use('/api/v1/settings', settingsRouter(deps));
  app.use('/api/v1/records', recordsRouter(deps));
  app.use('/api/v1/views', viewsRouter(deps));
  app.use('/api/v1/reports', reportsRouter(deps));
  app.use('/api/v1/exports', exportsRouter(deps));
  app.use('/api/v1/webhook-endpoints', webhookEndpointsRouter(deps));
  app.use('/api/v1/users', usersRouter(deps));
  app.use('/api/v1/stripe', stripeApiRouter(deps));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
