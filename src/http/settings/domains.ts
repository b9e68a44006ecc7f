import { Router, type Request } from 'express';
import type { Deps } from '../../app/deps.js';
import { addDomain, listDomains, removeDomain, verifyDomain, type AddedDomain } from '../../app/invoice-domains.js';
import type { PortalDomain } from '../../domain/invoice-domains.js';
import { requirePermission } from '../auth.js';
import { actorOf } from '../context.js';
import { respond } from '../idempotent.js';
import { presentDomain } from './presenter.js';
import { addDomainBody, domainPathParams } from './schema.js';

function domainOf(req: Request): string {
  return domainPathParams.parse({ domain: req.params.domain }).domain;
}

/**
 * /api/v1/settings/domains: the portal's invoice domains. Adding gives a pending domain and the
 * TXT record to create; verify checks it through DNS. Reading needs `view` like the settings,
 * changing needs `settings`.
 */
export function domainsRouter(deps: Deps): Router {
  const r = Router();
  const settings = requirePermission('settings');
  r.get('/', requirePermission('view'), async (_req, res) => {
    res.json({ data: (await listDomains(deps, actorOf(res))).map(presentDomain) });
  });
  r.post('/', settings, async (req, res) => {
    const body = addDomainBody.parse(req.body ?? {});
    await respond<AddedDomain>(
      req,
      res,
      (run) => addDomain(deps, actorOf(res), body.domain, run),
      (added) => ({ status: added.created ? 201 : 200, body: presentDomain(added.domain) }),
    );
  });
  r.post('/:domain/verify', settings, async (req, res) => {
    const domain = domainOf(req);
    await respond<PortalDomain>(
      req,
      res,
      (run) => verifyDomain(deps, actorOf(res), domain, run),
      (verified) => ({ status: 200, body: presentDomain(verified) }),
    );
  });
  r.delete('/:domain', settings, async (req, res) => {
    const domain = domainOf(req);
    await respond(
      req,
      res,
      (run) => removeDomain(deps, actorOf(res), domain, run),
      () => ({ status: 204, body: null }),
    );
  });
  return r;
}
