import { Router } from 'express';
import type { Deps } from '../app/deps.js';
import { readiness } from '../app/readiness.js';

/** GET /healthz (the process answers) and GET /readyz (database reachable, migrations current). */
export function healthRouter(deps: Deps): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    try {
      const status = await readiness(deps);
      res.status(status === 'ready' ? 200 : 503).json({ status });
    } catch (err) {
      deps.logger.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'database_unreachable' });
    }
  });
  return r;
}
