import { Router } from 'express';
import type { Deps } from '../../app/deps.js';
import { getSettings, updateSettings } from '../../app/settings.js';
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
    await respond(req, res, deps, async (db) => ({ status: 200, body: presentSettings(await updateSettings({ db }, actorOf(res), patch)) }));
  });
  return r;
}
