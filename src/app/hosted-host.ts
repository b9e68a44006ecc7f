import { isVerifiedDomainOf } from '../db/portal-domains-repo.js';
import { normalizeHost } from '../domain/invoice-domains.js';
import type { Deps } from './deps.js';

/**
 * Whether a buyer-facing route (the hosted page, its PDF, the pay and paid routes) may answer for
 * an invoice of `portalId` on `host` (the request's Host name): on the service's own origin, or on
 * a domain VERIFIED for that portal. Pending domains, other portals' domains and unknown hosts
 * get false; callers answer exactly as for an unknown token, so nothing leaks.
 */
export async function hostServesPortal(deps: Pick<Deps, 'db' | 'config'>, portalId: number, host: string): Promise<boolean> {
  const name = normalizeHost(host);
  if (name === normalizeHost(new URL(deps.config.publicBaseUrl).hostname)) return true;
  return isVerifiedDomainOf(deps.db, portalId, name);
}
