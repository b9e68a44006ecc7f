import type { Db } from './invoices-repo.js';

/** A portal's connected Stripe account, as stored on the portal. */
export interface StripeConnection {
  accountId: string | null;
  chargesEnabled: boolean;
  connectedAt: Date | null;
}

/** The portal's connection, or null when the portal does not exist. */
export async function findStripeConnection(db: Db, portalId: number): Promise<StripeConnection | null> {
  const row = await db('portals').where({ id: portalId }).first('stripe_account_id', 'stripe_charges_enabled', 'stripe_connected_at');
  if (!row) return null;
  return { accountId: row.stripe_account_id, chargesEnabled: row.stripe_charges_enabled, connectedAt: row.stripe_connected_at };
}

/** Stores the account a portal connected (replacing any earlier one). */
export async function saveStripeConnection(db: Db, portalId: number, accountId: string, chargesEnabled: boolean, now: Date): Promise<void> {
  await db('portals')
    .where({ id: portalId })
    .update({ stripe_account_id: accountId, stripe_charges_enabled: chargesEnabled, stripe_connected_at: now, updated_at: now });
}

/** Forgets the portal's account; `onlyAccount` limits it to that account (a late event for an old one changes nothing). */
export async function clearStripeConnection(db: Db, portalId: number, now: Date, onlyAccount?: string): Promise<boolean> {
  const query = db('portals').where({ id: portalId }).whereNotNull('stripe_account_id');
  if (onlyAccount) query.where({ stripe_account_id: onlyAccount });
  const n = await query.update({ stripe_account_id: null, stripe_charges_enabled: false, stripe_connected_at: null, updated_at: now });
  return n > 0;
}

/** Portals connected to `accountId` (normally one), with when each connected. */
export async function portalsWithAccount(db: Db, accountId: string): Promise<Array<{ portalId: number; connectedAt: Date | null }>> {
  const rows = await db('portals').where({ stripe_account_id: accountId }).select('id', 'stripe_connected_at').orderBy('id');
  return rows.map((r) => ({ portalId: Number(r.id), connectedAt: r.stripe_connected_at }));
}

/** Records whether `accountId` can take charges, on every portal connected to it. */
export async function setChargesEnabled(db: Db, accountId: string, enabled: boolean, now: Date): Promise<number> {
  return db('portals').where({ stripe_account_id: accountId }).update({ stripe_charges_enabled: enabled, updated_at: now });
}

export type SessionStatus = 'creating' | 'open' | 'pending' | 'paid' | 'failed' | 'expired';

/** One Checkout attempt for an invoice. */
export interface CheckoutAttempt {
  portalId: number;
  id: string;
  invoiceId: string;
  accountId: string;
  amount: number;
  currency: string;
  amountPaidBefore: number;
  idempotencyKey: string;
  sessionId: string | null;
  url: string | null;
  paymentIntentId: string | null;
  status: SessionStatus;
  expiresAt: Date | null;
  createdAt: Date;
}

/** Inserts a new attempt in state `creating`; the key is derived from the row's own id. */
export async function insertAttempt(
  db: Db,
  a: Pick<CheckoutAttempt, 'portalId' | 'id' | 'invoiceId' | 'accountId' | 'amount' | 'currency' | 'amountPaidBefore' | 'idempotencyKey'>,
  now: Date,
): Promise<CheckoutAttempt> {
  const [row] = await db('stripe_checkout_sessions')
    .insert({
      portal_id: a.portalId,
      id: a.id,
      invoice_id: a.invoiceId,
      account_id: a.accountId,
      amount: a.amount,
      currency: a.currency,
      amount_paid_before: a.amountPaidBefore,
      idempotency_key: a.idempotencyKey,
      created_at: now,
      updated_at: now,
    })
    .returning('*');
  return toAttempt(row);
}

/**
 * An attempt that can serve a new click on "Pay" for the same amount while the invoice's paid
 * amount is unchanged: one still being created (retried with its own idempotency key), or an
 * open session that stays usable for a while longer.
 */
export async function findReusableAttempt(
  db: Db,
  q: { portalId: number; invoiceId: string; accountId: string; amount: number; amountPaidBefore: number; now: Date },
): Promise<CheckoutAttempt | null> {
  const usableUntil = new Date(q.now.getTime() + 15 * 60 * 1000);
  // Stripe keeps idempotency keys for at least 24 hours: a `creating` row older than that is not retried.
  const keyStillKnown = new Date(q.now.getTime() - 23 * 60 * 60 * 1000);
  const row = await db('stripe_checkout_sessions')
    .where({ portal_id: q.portalId, invoice_id: q.invoiceId, account_id: q.accountId, amount: q.amount, amount_paid_before: q.amountPaidBefore })
    .where((w) => {
      w.where((c) => c.where({ status: 'open' }).where('expires_at', '>', usableUntil)).orWhere((c) =>
        c.where({ status: 'creating' }).where('created_at', '>', keyStillKnown),
      );
    })
    .orderBy('created_at', 'desc')
    .first();
  return row ? toAttempt(row) : null;
}

/** Stores what Stripe answered for an attempt. */
export async function markAttemptCreated(
  db: Db,
  portalId: number,
  id: string,
  s: { sessionId: string; url: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  await db('stripe_checkout_sessions')
    .where({ portal_id: portalId, id, status: 'creating' })
    .update({ session_id: s.sessionId, url: s.url, expires_at: s.expiresAt, status: 'open', updated_at: now });
}

/** The attempt behind a Stripe session id (any portal: the id is Stripe's, globally unique). */
export async function findAttemptBySession(db: Db, sessionId: string, opts: { forUpdate?: boolean } = {}): Promise<CheckoutAttempt | null> {
  const query = db('stripe_checkout_sessions').where({ session_id: sessionId }).first();
  if (opts.forUpdate) query.forUpdate();
  const row = await query;
  return row ? toAttempt(row) : null;
}

/** The attempt whose payment became `paymentIntentId` on the account. */
export async function findAttemptByIntent(db: Db, accountId: string, paymentIntentId: string): Promise<CheckoutAttempt | null> {
  const row = await db('stripe_checkout_sessions').where({ account_id: accountId, payment_intent_id: paymentIntentId }).first();
  return row ? toAttempt(row) : null;
}

/** Moves an attempt to `status`, keeping the payment intent once known. */
export async function updateAttempt(db: Db, a: CheckoutAttempt, status: SessionStatus, paymentIntentId: string | null, now: Date): Promise<void> {
  await db('stripe_checkout_sessions')
    .where({ portal_id: a.portalId, id: a.id })
    .update({ status, payment_intent_id: paymentIntentId ?? a.paymentIntentId, updated_at: now });
}

/** The invoice id and portal behind a public token (no tenant scope: the token is the capability). */
export async function findInvoiceRefByToken(db: Db, token: string): Promise<{ portalId: number; invoiceId: string } | null> {
  const row = await db('invoices').where({ public_token: token }).whereNot({ status: 'draft' }).first('portal_id', 'id');
  return row ? { portalId: Number(row.portal_id), invoiceId: row.id } : null;
}

function toAttempt(r: Record<string, any>): CheckoutAttempt {
  return {
    portalId: Number(r.portal_id),
    id: r.id,
    invoiceId: r.invoice_id,
    accountId: r.account_id,
    amount: Number(r.amount),
    currency: r.currency,
    amountPaidBefore: Number(r.amount_paid_before),
    idempotencyKey: r.idempotency_key,
    sessionId: r.session_id,
    url: r.url,
    paymentIntentId: r.payment_intent_id,
    status: r.status,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
  };
}
