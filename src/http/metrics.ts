import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type Express } from 'express';
import { AppError } from '../app/errors.js';
import type { MetricsConfig } from '../config.js';
import { registry } from '../observability/metrics.js';

/**
 * GET /metrics on the public API listener, in Prometheus text format. The metrics carry business
 * counters of every tenant, so they are served here only with `METRICS_TOKEN` configured and sent
 * as `Authorization: Bearer <token>` (401 otherwise); without it the route does not exist (404),
 * and `METRICS_PORT` serves them on a separate listener ({@link metricsApp}).
 */
export function metricsRouter(config: MetricsConfig): Router {
  const r = Router();
  const token = config.token;
  if (token === null) return r;
  r.get('/metrics', async (req, res) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match || !sameSecret(match[1]!, token)) {
      throw new AppError('unauthenticated', 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"');
    }
    await sendMetrics(res);
  });
  return r;
}

/** The app of the separate metrics listener (`METRICS_PORT`): GET /metrics only, no authentication (keep the port private). */
export function metricsApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req, res) => {
    await sendMetrics(res);
  });
  return app;
}

async function sendMetrics(res: express.Response): Promise<void> {
  res.set('Content-Type', registry.contentType);
  res.send(await registry.metrics());
}

// Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
function sameSecret(presented: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
