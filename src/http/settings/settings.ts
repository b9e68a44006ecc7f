import { Router } from 'express';
import type { Deps } from '../../app/deps.js';
import { getSettings, updateSettings } from '../../app/settings.js';
import type { PortalSettings } from '../../domain/settings.js';
import { requirePermission } from '../auth.js';
import { actorOf } from '../context.js';
import { respond } from '../idempotent.js';
import { presentSettings } from './presenter.js';
import { updateSettingsBody } from './schema.js';

/** /api/v1/settings */
export function settingsRouter(deps: Deps): Router {
  const r = Router();
  r.get('/', requirePermission('view'), async (_req, res) => {
    res.json(presentSettings(await getSettings(deps, actorOf(res))));
  });
  r.put('/', requirePermission('settings'), async (req, res) => {
    const patch = updateSettingsBody.parse(req.body);
    await respond<PortalSettings>(
      req,
      res,
      (run) => updateSettings(deps, actorOf(res), patch, run),
      (settings) => ({ status: 200, body: presentSettings(settings) }),
    );
  });
  return r;
}
