import { Router } from 'express';
import { registry } from '../observability/metrics.js';

/**
 * GET /metrics in Prometheus text format. Unauthenticated like /healthz: it carries counts and
 * latencies, no tenant data; keep it off the public listener in production (see docs/operations.md).
 */
export function metricsRouter(): Router {
  const r = Router();
  r.get('/metrics', async (_req, res) => {
    res.set('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });
  return r;
}
