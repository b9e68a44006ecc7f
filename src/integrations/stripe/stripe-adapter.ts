import Stripe from 'stripe';
import type { StripeConfig } from '../../config.js';
import { StripeSignatureError, type CheckoutRequest, type CreatedSession, type StripePort } from '../../app/ports/stripe.js';
import { translateEvent } from './stripe-events.js';
import { vendorCalls } from '../../observability/metrics.js';

/** Stripe's OAuth page for Standard accounts (docs.stripe.com/connect/oauth-standard-accounts). */
export const STRIPE_CONNECT_AUTHORIZE_URL = 'https://connect.stripe.com/oauth/authorize';

/**
 * The SDK client for the platform account. Host, port and protocol come from STRIPE_API_BASE_URL,
 * so tests and proxies can redirect it; a non-default host also receives the OAuth token calls
 * the SDK would otherwise send to connect.stripe.com. The fetch client is used because nock 14
 * intercepts fetch reliably; the API version stays the SDK's pinned one (its types match it).
 */
export function createStripeClient(config: StripeConfig): Stripe {
  const base = new URL(config.apiBaseUrl);
  const protocol = base.protocol === 'http:' ? 'http' : 'https';
  const client = new Stripe(config.secretKey, {
    host: base.hostname,
    port: base.port ? Number(base.port) : protocol === 'http' ? 80 : 443,
    protocol,
    httpClient: Stripe.createFetchHttpClient(),
    // Retries reuse the request's idempotency key, so a retried create never makes a second session.
    maxNetworkRetries: 2,
    timeout: 20_000,
  });
  // Every HTTP exchange with Stripe, retries included, by outcome (GET /metrics).
  client.on('response', (res: { status: number }) => {
    vendorCalls.inc({ vendor: 'stripe', outcome: stripeOutcome(res.status) });
  });
  return client;
}

function stripeOutcome(status: number): string {
  if (status < 300) return 'ok';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return status === 401 ? 'unauthorized' : 'rejected';
}

/** The StripePort over the SDK. */
export function createStripeAdapter(config: StripeConfig, client: Stripe = createStripeClient(config)): StripePort {
  return {
    authorizeUrl(state, redirectUri) {
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: config.connectClientId,
        scope: 'read_write',
        redirect_uri: redirectUri,
        state,
      });
      return `${STRIPE_CONNECT_AUTHORIZE_URL}?${query.toString()}`;
    },

    async exchangeCode(code) {
      const token = await client.oauth.token({ grant_type: 'authorization_code', code });
      if (!token.stripe_user_id) throw new Error('Stripe OAuth token response has no stripe_user_id');
      // The access and refresh tokens are not kept: the platform key plus the Stripe-Account
      // header acts on the connected account, so there is no per-portal secret to store.
      return { accountId: token.stripe_user_id };
    },

    async deauthorize(accountId) {
      await client.oauth.deauthorize({ client_id: config.connectClientId, stripe_user_id: accountId });
    },

    async retrieveAccount(accountId) {
      const account = await client.accounts.retrieve(accountId);
      return { accountId: account.id, chargesEnabled: account.charges_enabled === true };
    },

    async createCheckoutSession(accountId, request: CheckoutRequest, idempotencyKey): Promise<CreatedSession> {
      const session = await client.checkout.sessions.create(
        {
          mode: 'payment',
          // API 2026-09-30 replaced the static `payment_method_types` with this filter: only the
          // invoice's methods are offered, among those the account has enabled.
          allowed_payment_method_types: request.methods,
          line_items: [
            {
              quantity: 1,
              price_data: { currency: request.currency.toLowerCase(), unit_amount: request.amount, product_data: { name: request.description } },
            },
          ],
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
          metadata: request.metadata,
          payment_intent_data: { metadata: request.metadata },
        },
        { stripeAccount: accountId, idempotencyKey },
      );
      if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL');
      return { sessionId: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000) };
    },

    verifyEvent(rawBody, signature) {
      if (!signature) throw new StripeSignatureError('missing Stripe-Signature header');
      let event: Stripe.Event;
      try {
        event = client.webhooks.constructEvent(rawBody, signature, config.webhookSecret);
      } catch (err) {
        throw new StripeSignatureError((err as Error).message);
      }
      return translateEvent(event);
    },
  };
}
