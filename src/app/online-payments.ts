import { findStripeConnection } from '../db/stripe-repo.js';
import type { Deps } from './deps.js';

/**
 * Whether buyers of `portalId` can pay online: the service has Stripe keys AND the portal's
 * connected account can take charges. The hosted page shows its pay button only then.
 */
export async function onlinePaymentsAvailable(deps: Deps, portalId: number): Promise<boolean> {
  if (!deps.config.stripe) return false;
  const c = await findStripeConnection(deps.db, portalId);
  return Boolean(c?.accountId && c.chargesEnabled);
}
