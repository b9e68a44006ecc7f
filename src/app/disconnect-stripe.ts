import { clearStripeConnection, findStripeConnection } from '../db/stripe-repo.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { stripeOrRefuse } from './stripe-connection.js';

/**
 * Disconnects the portal's Stripe account: revokes the platform's access at Stripe, then forgets
 * the account. When Stripe says the account is already disconnected (the user did it from the
 * Stripe dashboard) the local state is cleared all the same. Idempotent: no account, no-op.
 */
export async function disconnectStripe(deps: Pick<Deps, 'db' | 'clock' | 'stripe' | 'logger'>, actor: Actor): Promise<void> {
  const stripe = stripeOrRefuse(deps);
  const c = await findStripeConnection(deps.db, actor.portalId);
  if (!c?.accountId) return;
  try {
    await stripe.deauthorize(c.accountId);
  } catch (err) {
    const e = err as { statusCode?: number; type?: string };
    // 400/401 from /oauth/deauthorize mean "not connected to this platform" (any more).
    if (e.statusCode !== 400 && e.statusCode !== 401) throw err;
    deps.logger?.warn({ portalId: actor.portalId, type: e.type }, 'stripe deauthorize refused; clearing the connection anyway');
  }
  await clearStripeConnection(deps.db, actor.portalId, deps.clock(), c.accountId);
}
