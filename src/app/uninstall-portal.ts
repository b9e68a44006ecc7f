import { clearInstall } from '../db/hubspot-install-repo.js';
import type { Deps } from './deps.js';

/**
 * Uninstalls the app from a portal (HubSpot's uninstall event): forgets both tokens and marks the
 * portal uninstalled. Invoices, settings and the audit log stay; a reinstall picks them up again.
 * Safe to repeat. Returns false when the portal was never seen.
 */
export async function uninstallPortal(deps: Pick<Deps, 'db' | 'clock'>, portalId: number): Promise<boolean> {
  return clearInstall(deps.db, portalId, deps.clock());
}
