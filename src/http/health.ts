import { Router } from 'express';
import type { Deps } from '../app/deps.js';
import { migrationsCurrent } from '../db/connect.js';

/** GET /healthz (the process answers) and GET /readyz (database reachable, migrations current). */
export function healthRouter(deps: Deps): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    try {
      await deps.db.raw('select 1');
      const current = await migrationsCurrent(deps.db);
      res.status(current ? 200 : 503).json({ status: current ? 'ready' : 'migrations_pending' });
    } catch (err) {
      deps.logger.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'database_unreachable' });
    }
  });
  return r;
}
