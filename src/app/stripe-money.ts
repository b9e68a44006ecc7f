import type { Knex } from 'knex';
import { recordTransition } from '../db/invoice-transitions.js';
import { findInvoice } from '../db/invoices-repo.js';
import { applyPayment, findStripePayment, refundedSoFar } from '../db/payments-repo.js';
import { findSettings } from '../db/portals-repo.js';
import type { CheckoutAttempt } from '../db/stripe-repo.js';
import { todayIn } from '../domain/dates.js';
import { balanceDue } from '../domain/invoice.js';

/** The facts of a payment Stripe reports as succeeded. */
export interface StripePaymentFacts {
  sessionId: string;
  paymentIntentId: string | null;
  amount: number;
  currency: string;
  method: 'card' | 'ach';
}

/**
 * Records a succeeded Stripe payment exactly once (unique external id: the PaymentIntent). The
 * whole amount is recorded; only what the invoice still owes applies to it, the rest is credit
 * flagged in the audit log (an invoice already settled or voided takes it all as credit). Returns
 * false when the payment was recorded before. Runs in the caller's transaction (handleStripeEvent).
 *
 * The payment goes through the one payments path (`applyPayment`) and the transition step
 * (src/db/invoice-transitions.ts). Relies on two triggers: `payments_apply_to_invoice` moves
 * `amount_paid` and `credit_amount` when the row is inserted (this function then sets `paid`),
 * and `invoices_emit_webhook_events` writes the `invoice.paid` / `invoice.partially_paid`
 * outbound webhook event.
 */
export async function recordStripePayment(trx: Knex.Transaction, attempt: CheckoutAttempt, facts: StripePaymentFacts, now: Date): Promise<boolean> {
  const { portalId, invoiceId } = attempt;
  const invoice = (await findInvoice(trx, portalId, invoiceId, { forUpdate: true }))!;
  const externalId = facts.paymentIntentId ?? facts.sessionId;
  if (facts.currency !== invoice.currency) {
    // Sessions are created in the invoice's currency; anything else needs a human, and a retry.
    throw new Error(`Stripe payment ${externalId} is in ${facts.currency}, invoice ${invoiceId} in ${invoice.currency}`);
  }
  const balance = balanceDue(invoice);
  const applied = invoice.status === 'open' ? Math.min(facts.amount, balance) : 0;
  const credit = facts.amount - applied;
  const settings = (await findSettings(trx, portalId))!;
  const settled = applied > 0 && applied === balance;
  const recorded = await applyPayment(
    trx,
    {
      portalId,
      invoiceId,
      kind: 'payment',
      amount: facts.amount,
      appliedAmount: applied,
      currency: invoice.currency,
      method: facts.method,
      receivedOn: todayIn(settings.timeZone, now),
      reference: externalId,
      source: 'stripe',
      externalId,
    },
    { settles: settled, now },
  );
  if (!recorded) return false;
  const by = { portalId, invoiceId, actorType: 'stripe', actorId: null, now };
  const cause = { source: 'stripe', sessionId: facts.sessionId, paymentIntentId: facts.paymentIntentId, method: facts.method };
  if (applied > 0) {
    // An applied amount changes the balance or status HubSpot shows: a new mirror intent.
    await recordTransition(trx, {
      ...by,
      event: settled ? 'invoice.paid' : 'invoice.partially_paid',
      data: { ...cause, amount: applied, balanceDue: balance - applied },
      mirror: settled ? 'paid' : 'open',
    });
  }
  if (credit > 0) {
    // Paid twice (or more than owed): overpayment. Paid after a void: the whole payment is credit.
    // Credit alone changes nothing HubSpot shows: no mirror intent.
    const reason = invoice.status === 'void' ? 'invoice_void' : 'overpayment';
    await recordTransition(trx, { ...by, event: 'invoice.credit_recorded', data: { ...cause, amount: credit, received: facts.amount, reason } });
  }
  return true;
}

/** A refund as `charge.refunded` reports it: the charge's running total of refunds. */
export interface StripeRefundFacts {
  chargeId: string;
  paymentIntentId: string;
  amountRefunded: number;
}

/** What recording a refund did. */
export type RefundOutcome = 'recorded' | 'already_recorded' | 'payment_unknown';

/**
 * Records what a `charge.refunded` adds to the refunds already recorded for the payment. Stripe
 * reports the running total, so a duplicate or an older event arriving late adds nothing, and
 * two refunds seen only through the later event are still both counted. A refund takes back the
 * payment's credit first, then what it paid on the invoice; a paid invoice is open again then.
 *
 * Relies on the trigger `payments_apply_to_invoice` for the state change: inserting the refund
 * row lowers `amount_paid` and `credit_amount` and reopens a paid invoice (status and paid_at).
 */
export async function recordStripeRefund(trx: Knex.Transaction, portalId: number, facts: StripeRefundFacts, now: Date): Promise<RefundOutcome> {
  const payment = await findStripePayment(trx, portalId, facts.paymentIntentId);
  if (!payment) return 'payment_unknown';
  const invoice = (await findInvoice(trx, portalId, payment.invoiceId, { forUpdate: true }))!;
  const sums = await refundedSoFar(trx, portalId, payment.id);
  const target = Math.min(facts.amountRefunded, payment.amount);
  const amount = target - sums.refunded;
  if (amount <= 0) return 'already_recorded';
  const creditLeft = payment.amount - payment.appliedAmount - sums.fromCredit;
  const fromCredit = Math.min(amount, creditLeft);
  const applied = amount - fromCredit;
  const settings = (await findSettings(trx, portalId))!;
  // The payments trigger lowers amount_paid and credit and reopens a paid invoice.
  const recorded = await applyPayment(
    trx,
    {
      portalId,
      invoiceId: payment.invoiceId,
      kind: 'refund',
      refundOf: payment.id,
      amount,
      appliedAmount: applied,
      currency: payment.currency,
      method: 'other',
      receivedOn: todayIn(settings.timeZone, now),
      reference: facts.chargeId,
      source: 'stripe',
      externalId: `${facts.chargeId}:refunded:${target}`,
    },
    { settles: false, now },
  );
  if (!recorded) return 'already_recorded';
  const reopened = invoice.status === 'paid' && applied > 0;
  await recordTransition(trx, {
    portalId,
    invoiceId: invoice.id,
    actorType: 'stripe',
    actorId: null,
    event: 'invoice.payment_refunded',
    data: { source: 'stripe', chargeId: facts.chargeId, paymentIntentId: facts.paymentIntentId, amount, fromCredit, fromAmountPaid: applied, reopened },
    // Money taken back from the balance changes what HubSpot shows; credit alone does not.
    mirror: applied > 0 ? (reopened ? 'open' : (invoice.status as 'open' | 'paid' | 'void')) : undefined,
    now,
  });
  return 'recorded';
}
