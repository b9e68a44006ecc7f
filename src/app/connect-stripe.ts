import { consumeOAuthState, insertOAuthState } from '../db/hubspot-install-repo.js';
import { ensurePortal } from '../db/portals-repo.js';
import { saveStripeConnection } from '../db/stripe-repo.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { AppError } from './errors.js';
import { stripeOrRefuse } from './stripe-connection.js';
import { checkStripeState, issueStripeState } from './stripe-connect-state.js';
import { nothingToPrepare, runCommand, type CommandRun } from './unit-of-work.js';

/** Where Stripe sends the user back after the OAuth page (register it in the Connect settings). */
export function stripeRedirectUri(publicBaseUrl: string): string {
  return `${publicBaseUrl}/stripe/oauth/callback`;
}

/**
 * Starts connecting the portal's Stripe account: a signed, expiring, single-use state naming the
 * portal and the user who started it, and Stripe's OAuth URL for it. A caller without a user (a
 * portal-wide API token) cannot start one: the connection must be traceable to a person.
 */
export async function startStripeConnect(deps: Pick<Deps, 'db' | 'config' | 'clock' | 'stripe'>, actor: Actor, run: CommandRun<string> = {}): Promise<string> {
  const stripe = stripeOrRefuse(deps);
  const userId = actor.userId;
  if (userId === null || !/^[\w-]{1,64}$/.test(userId)) {
    throw new AppError('forbidden', 'Connecting Stripe needs a user: start it from the app settings in HubSpot, or with a token that names a user', [
      { path: 'userId', message: 'the caller has no user' },
    ]);
  }
  return runCommand(deps, run, nothingToPrepare, async ({ trx }) => {
    await ensurePortal(trx, actor.portalId, deps.config.defaultTimeZone);
    const state = issueStripeState(deps.config.apiTokenSecret, actor.portalId, userId, deps.clock());
    await insertOAuthState(trx, state.id, state.expiresAt);
    return stripe.authorizeUrl(state.value, stripeRedirectUri(deps.config.publicBaseUrl));
  });
}

/** What Stripe's redirect carries: a code, or the error of a declined connection. */
export type StripeCallback = { state: string; code: string } | { state: string; error: string; errorDescription?: string };

export interface CompletedStripeConnect {
  portalId: number;
  /** The user who started the connection (named in its state). */
  userId: string;
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
  return { portalId: check.portalId, userId: check.userId, accountId, chargesEnabled };
}
