import { Router } from 'express';
import { completeInstall } from '../../app/complete-install.js';
import type { Deps, HubSpotServices } from '../../app/deps.js';
import { startInstall } from '../../app/start-install.js';
import { rateLimit } from '../hosted/rate-limit.js';
import { INSTALLED_PAGE_HEADERS, renderInstalledPage } from './installed-page.js';
import { callbackQuery } from './schema.js';

/** /oauth: the public install flow (HubSpot's authorize page and its redirect back). */
export function oauthRouter(deps: Deps & { hubspot: HubSpotServices }): Router {
  const r = Router();

  // Each visit writes an OAuth state row: a per-IP budget keeps a script from filling the table.
  r.get('/install', rateLimit({ perMinute: deps.config.oauthInstallRateLimitPerMinute }), async (_req, res) => {
    const url = await startInstall(deps, deps.hubspot.installScopes);
    // Each visit must get its own single-use state, never a cached redirect.
    res.set('Cache-Control', 'no-store').redirect(302, url);
  });

  r.get('/callback', async (req, res) => {
    const query = callbackQuery.parse(req.query);
    const installed = await completeInstall({ ...deps, oauth: deps.hubspot.oauth }, query);
    req.log?.info({ portalId: installed.portalId, reinstalled: installed.reinstalled }, 'hubspot app installed');
    res.status(200).set(INSTALLED_PAGE_HEADERS).send(renderInstalledPage(installed));
  });

  return r;
}
