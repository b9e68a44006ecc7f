/**
 * Stripe as the use cases see it: Connect onboarding, Checkout Sessions on a connected account,
 * and verified webhook events already translated into what they mean for invoices. The adapter
 * in src/integrations/stripe implements it; use cases never see the SDK's types.
 */
export interface StripePort {
  /** Stripe's OAuth page for connecting a Standard account (`read_write`), carrying `state`. */
  authorizeUrl(state: string, redirectUri: string): string;
  /** Trades the code of the OAuth redirect for the connected account's id. */
  exchangeCode(code: string): Promise<{ accountId: string }>;
  /** Revokes the platform's access to the account (disconnect). */
  deauthorize(accountId: string): Promise<void>;
  /** Reads whether the connected account can take charges yet. */
  retrieveAccount(accountId: string): Promise<{ accountId: string; chargesEnabled: boolean }>;
  /** Creates a Checkout Session on the connected account; `idempotencyKey` makes retries safe. */
  createCheckoutSession(accountId: string, request: CheckoutRequest, idempotencyKey: string): Promise<CreatedSession>;
  /**
   * Checks the `Stripe-Signature` header over the raw body and translates the event; throws
   * StripeSignatureError when the signature is missing, wrong or outside the tolerance.
   */
  verifyEvent(rawBody: Buffer, signature: string | undefined): StripeEventIn;
}

/** Online payment methods as Stripe names them. */
export type StripeMethod = 'card' | 'us_bank_account';

/** What a Checkout Session for one invoice asks for. */
export interface CheckoutRequest {
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  methods: StripeMethod[];
  description: string;
  successUrl: string;
  cancelUrl: string;
  /** Copied to the session and its PaymentIntent, so refunds can be traced too. */
  metadata: Record<string, string>;
}

export interface CreatedSession {
  sessionId: string;
  url: string;
  expiresAt: Date;
}

/** A verified Stripe event: its ledger identity plus what it means. */
export interface StripeEventIn {
  id: string;
  type: string;
  /** The connected account the event is about (Connect events carry it); null for platform events. */
  accountId: string | null;
  created: Date;
  change: StripeChange;
}

/** A session's payment facts as the events carry them. */
export interface SessionFacts {
  sessionId: string;
  paymentIntentId: string | null;
  /** Minor units actually charged. */
  amount: number;
  currency: string;
}

/** What an event means for this service. */
export type StripeChange =
  | { kind: 'account_updated'; accountId: string; chargesEnabled: boolean }
  | { kind: 'account_deauthorized' }
  /** The buyer finished Checkout: `paid` for cards, `unpaid` while an ACH debit settles. */
  | ({ kind: 'session_completed'; paymentStatus: 'paid' | 'unpaid' | 'no_payment_required' } & SessionFacts)
  | ({ kind: 'session_async_succeeded' } & SessionFacts)
  | ({ kind: 'session_async_failed' } & SessionFacts)
  | ({ kind: 'session_expired' } & SessionFacts)
  /** `amountRefunded` is the charge's running total of refunds, not this refund's amount. */
  | {
      kind: 'charge_refunded';
      chargeId: string;
      paymentIntentId: string | null;
      amountRefunded: number;
      currency: string;
      /** Our checkout attempt id from the charge's metadata (copied from the PaymentIntent); null on others' charges. */
      attemptId: string | null;
    }
  | { kind: 'none' };

/** The webhook's signature did not check out. */
export class StripeSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StripeSignatureError';
  }
}
