import { findStripeConnection } from '../db/stripe-repo.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { ruleBroken } from './errors.js';
import type { StripePort } from './ports/stripe.js';

/** A portal's Stripe state as settings show it. */
export interface StripeConnectionView {
  status: 'not_connected' | 'pending' | 'connected';
  accountId: string | null;
  chargesEnabled: boolean;
  connectedAt: Date | null;
  /** False when the service runs without Stripe keys (online payments off for everyone). */
  available: boolean;
}

/** Reads the portal's connection: `pending` until Stripe enables charges on the account. */
export async function getStripeConnection(deps: Pick<Deps, 'db' | 'stripe'>, actor: Actor): Promise<StripeConnectionView> {
  const c = await findStripeConnection(deps.db, actor.portalId);
  const accountId = c?.accountId ?? null;
  return {
    status: !accountId ? 'not_connected' : c!.chargesEnabled ? 'connected' : 'pending',
    accountId,
    chargesEnabled: Boolean(accountId && c!.chargesEnabled),
    connectedAt: accountId ? c!.connectedAt : null,
    available: Boolean(deps.stripe),
  };
}

/** The Stripe port, or a clear refusal when the service has no Stripe keys. */
export function stripeOrRefuse(deps: Pick<Deps, 'stripe'>): StripePort {
  if (!deps.stripe) throw ruleBroken('stripe_unavailable', 'Online payments are not configured on this service (no Stripe keys)');
  return deps.stripe;
}
