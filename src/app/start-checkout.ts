import { randomUUID } from 'node:crypto';
import { findInvoice } from '../db/invoices-repo.js';
import {
  findInvoiceRefByToken,
  findReusableAttempt,
  findStripeConnection,
  insertAttempt,
  markAttemptCreated,
  type CheckoutAttempt,
} from '../db/stripe-repo.js';
import { invalidField } from '../domain/errors.js';
import { balanceDue, hostedUrl, type Invoice } from '../domain/invoice.js';
import { currencyExponent, decimalStringToMinor } from '../domain/money/index.js';
import type { Deps } from './deps.js';
import { AppError, notFound, ruleBroken } from './errors.js';
import { hostServesPortal } from './hosted-host.js';
import { stripeOrRefuse } from './stripe-connection.js';
import type { StripeMethod } from './ports/stripe.js';
import { nothingToPrepare, runCommand } from './unit-of-work.js';

/**
 * Starts paying an invoice online: a Stripe Checkout Session on the portal's connected account
 * for the balance (or the buyer's part of it when the invoice allows partial payments), offering
 * only the invoice's methods. Returns the session's URL to redirect the buyer to.
 *
 * Idempotency: every attempt is a row of ours whose id is the Stripe idempotency key. The SDK's
 * network retries and a later retry of an attempt whose create failed reuse that key, so they can
 * never open a second session; a new attempt (other amount, or the paid amount changed since)
 * gets a new row and key, so Stripe never sees one key with other parameters. Clicking Pay again
 * for the same amount reuses the attempt's open session while it has time left; the invoice row
 * is locked while the attempt is chosen, so two concurrent clicks share one attempt.
 *
 * `host` is the request's Host name: like the hosted page, the pay route answers only on the
 * service's origin or a domain verified for the invoice's portal (else the unknown-token 404).
 */
export async function startCheckout(
  deps: Pick<Deps, 'db' | 'config' | 'clock' | 'stripe' | 'logger'>,
  token: string,
  requested: string | undefined,
  host: string,
): Promise<string> {
  const stripe = stripeOrRefuse(deps);
  const ref = await findInvoiceRefByToken(deps.db, token);
  if (!ref || !(await hostServesPortal(deps, ref.portalId, host))) throw notFound('Invoice');
  const { attempt, invoice } = await runCommand(deps, {}, nothingToPrepare, async ({ trx }) => {
    const invoice = (await findInvoice(trx, ref.portalId, ref.invoiceId, { forUpdate: true }))!;
    const balance = balanceDue(invoice);
    if (invoice.status !== 'open' || balance <= 0) {
      throw ruleBroken('invoice_not_payable', `This invoice cannot be paid online; it is ${invoice.status === 'open' ? 'settled' : invoice.status}`);
    }
    const connection = await findStripeConnection(trx, ref.portalId);
    if (!connection?.accountId || !connection.chargesEnabled) {
      throw ruleBroken('online_payment_unavailable', 'The seller does not take online payments; please contact them to pay');
    }
    const amount = amountToCharge(invoice, balance, requested);
    methodsFor(invoice); // refuses before an attempt is recorded
    const now = deps.clock();
    const key = { portalId: ref.portalId, invoiceId: invoice.id, accountId: connection.accountId, amount, amountPaidBefore: invoice.amountPaid };
    const reusable = await findReusableAttempt(trx, { ...key, now });
    if (reusable) return { attempt: reusable, invoice };
    const id = randomUUID();
    const attempt = await insertAttempt(trx, { ...key, id, currency: invoice.currency, idempotencyKey: `invoice-checkout-${id}` }, now);
    return { attempt, invoice };
  });
  if (attempt.status === 'open' && attempt.url) return attempt.url;
  return createSession(deps, stripe, attempt, invoice);
}

async function createSession(
  deps: Pick<Deps, 'db' | 'config' | 'clock' | 'logger'>,
  stripe: NonNullable<Deps['stripe']>,
  attempt: CheckoutAttempt,
  invoice: Invoice,
): Promise<string> {
  // Stripe sends the buyer back to the invoice's domain only if it (still) serves the page there.
  const onDomain = invoice.domain !== null && (await hostServesPortal(deps, invoice.portalId, invoice.domain));
  const page = hostedUrl({ ...invoice, domain: onDomain ? invoice.domain : null }, deps.config.publicBaseUrl);
  let created;
  try {
    created = await stripe.createCheckoutSession(
      attempt.accountId,
      {
        amount: attempt.amount,
        currency: invoice.currency,
        methods: methodsFor(invoice),
        description: `Invoice ${invoice.number}`,
        // Stripe fills in {CHECKOUT_SESSION_ID}; the URLs carry nothing about the invoice but its token.
        successUrl: `${page}/paid?session_id={CHECKOUT_SESSION_ID}`,
        cancelUrl: `${page}?cancelled=1`,
        metadata: { portal_id: String(attempt.portalId), invoice_id: invoice.id, attempt_id: attempt.id },
      },
      attempt.idempotencyKey,
    );
  } catch (err) {
    // The buyer sees a neutral message: Stripe's text can name accounts, requests and settings of
    // the seller. The detail goes to the log for the operator.
    const e = err as { message?: string; type?: string; code?: string; statusCode?: number; requestId?: string };
    deps.logger.warn(
      {
        portalId: attempt.portalId,
        invoiceId: invoice.id,
        attemptId: attempt.id,
        stripe: { type: e.type, code: e.code, statusCode: e.statusCode, requestId: e.requestId, message: e.message },
      },
      'stripe could not create the checkout session',
    );
    throw new AppError('upstream_error', 'The payment service is not available right now. Please try again in a few minutes, or contact the seller.');
  }
  await markAttemptCreated(deps.db, attempt.portalId, attempt.id, created, deps.clock());
  return created.url;
}

/** The balance, or the buyer's part of it when partial payments are allowed. */
function amountToCharge(invoice: Invoice, balance: number, requested: string | undefined): number {
  let amount = balance;
  if (requested !== undefined && requested.trim() !== '') {
    if (!invoice.allowPartialPayments) throw invalidField('amount', 'this invoice must be paid in full');
    const exponent = currencyExponent(invoice.currency);
    amount = decimalStringToMinor(requested.trim(), invoice.currency, 'amount', { maxScale: exponent });
    if (amount <= 0) throw invalidField('amount', 'must be more than zero');
    if (amount > balance) throw invalidField('amount', 'must be at most the balance due');
  }
  // Stripe charges three-decimal currencies in tens of the minor unit.
  if (currencyExponent(invoice.currency) === 3 && amount % 10 !== 0) {
    throw invalidField('amount', 'Stripe can only charge this currency in steps of 0.010');
  }
  return amount;
}

/** The invoice's online methods in Stripe's names; ACH debits exist only for USD. */
function methodsFor(invoice: Invoice): StripeMethod[] {
  const methods: StripeMethod[] = [];
  if (invoice.paymentMethods.includes('card')) methods.push('card');
  if (invoice.paymentMethods.includes('ach') && invoice.currency === 'USD') methods.push('us_bank_account');
  if (methods.length === 0) throw ruleBroken('online_payment_unavailable', 'This invoice cannot be paid online with the methods it allows');
  return methods;
}
