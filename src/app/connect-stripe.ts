import { consumeOAuthState, insertOAuthState } from '../db/hubspot-install-repo.js';
import { ensurePortal } from '../db/portals-repo.js';
import { saveStripeConnection } from '../db/stripe-repo.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { AppError } from './errors.js';
import { stripeOrRefuse } from './stripe-connection.js';
import { checkStripeState, issueStripeState } from './stripe-connect-state.js';

/** Where Stripe sends the user back after the OAuth page (register it in the Connect settings). */
export function stripeRedirectUri(publicBaseUrl: string): string {
  return `${publicBaseUrl}/stripe/oauth/callback`;
}

/**
 * Starts connecting the portal's Stripe account: a signed, expiring, single-use state naming the
 * portal, and Stripe's OAuth URL for it.
 */
export async function startStripeConnect(deps: Pick<Deps, 'db' | 'config' | 'clock' | 'stripe'>, actor: Actor): Promise<string> {
  const stripe = stripeOrRefuse(deps);
  await ensurePortal(deps.db, actor.portalId, deps.config.defaultTimeZone);
  const state = issueStripeState(deps.config.apiTokenSecret, actor.portalId, deps.clock());
  await insertOAuthState(deps.db, state.id, state.expiresAt);
  return stripe.authorizeUrl(state.value, stripeRedirectUri(deps.config.publicBaseUrl));
}

/** What Stripe's redirect carries: a code, or the error of a declined connection. */
export type StripeCallback = { state: string; code: string } | { state: string; error: string; errorDescription?: string };

export interface CompletedStripeConnect {
  portalId: number;
  accountId: string;
  chargesEnabled: boolean;
}

function invalidState(reason: 'forged' | 'expired' | 'used'): AppError {
  return new AppError(
    'invalid_oauth_state',
    `The Stripe connection link is ${reason === 'forged' ? 'not valid' : reason}. Start again from the app's settings.`,
    [{ path: 'state', message: reason }],
  );
}

/**
 * Finishes the connection from Stripe's redirect: checks and uses up the state, trades the code
 * for the account id, reads whether it can take charges yet, and stores both on the portal.
 */
export async function completeStripeConnect(deps: Pick<Deps, 'db' | 'config' | 'clock' | 'stripe'>, input: StripeCallback): Promise<CompletedStripeConnect> {
  const stripe = stripeOrRefuse(deps);
  const check = checkStripeState(deps.config.apiTokenSecret, input.state, deps.clock());
  if (!check.ok) throw invalidState(check.reason);
  if (!(await consumeOAuthState(deps.db, check.id, deps.clock()))) throw invalidState('used');
  if ('error' in input) {
    throw new AppError('stripe_connect_declined', `Stripe did not connect the account: ${input.errorDescription ?? input.error}`);
  }
  let accountId: string;
  try {
    ({ accountId } = await stripe.exchangeCode(input.code));
  } catch (err) {
    if ((err as { type?: string }).type === 'StripeInvalidGrantError' || (err as { statusCode?: number }).statusCode === 400) {
      throw new AppError('oauth_code_rejected', 'Stripe did not accept the authorization code (expired or already used). Start again.');
    }
    throw err;
  }
  const { chargesEnabled } = await stripe.retrieveAccount(accountId);
  await saveStripeConnection(deps.db, check.portalId, accountId, chargesEnabled, deps.clock());
  return { portalId: check.portalId, accountId, chargesEnabled };
}
