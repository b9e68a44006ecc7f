import type { Deps } from './deps.js';

/**
 * Whether buyers of this portal can pay online: Stripe keys configured AND the portal's account
 * connected with charges enabled. The hosted page shows its pay form only when this is true.
 */
export async function onlinePaymentsAvailable(_deps: Deps, _portalId: number): Promise<boolean> {
  // the Stripe branch provides the real check
  return false;
}
