import type { Knex } from 'knex';
import { appendEvent } from '../db/events-repo.js';
import { upsertMirrorIntent } from '../db/invoice-mirrors-repo.js';
import { findInvoice } from '../db/invoices-repo.js';
import { findSettings } from '../db/portals-repo.js';
import type { CheckoutAttempt } from '../db/stripe-repo.js';
import { todayIn } from '../domain/dates.js';
import { balanceDue } from '../domain/invoice.js';
import type { Actor } from '../domain/actor.js';

/** The facts of a payment Stripe reports as succeeded. */
export interface StripePaymentFacts {
  sessionId: string;
  paymentIntentId: string | null;
  amount: number;
  currency: string;
  method: 'card' | 'ach';
}

function stripeActor(portalId: number): Actor {
  return { portalId, userId: null, kind: 'stripe', scopes: [] };
}

/**
 * Records a succeeded Stripe payment exactly once (unique external id: the PaymentIntent). The
 * whole amount is recorded; only what the invoice still owes applies to it, the rest is credit
 * flagged in the audit log (an invoice already settled or voided takes it all as credit). Returns
 * false when the payment was recorded before.
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
  const inserted = await trx('payments')
    .insert({
      portal_id: portalId,
      invoice_id: invoiceId,
      kind: 'payment',
      amount: facts.amount,
      applied_amount: applied,
      currency: invoice.currency,
      method: facts.method,
      received_on: todayIn(settings.timeZone, now),
      reference: externalId,
      source: 'stripe',
      external_id: externalId,
    })
    .onConflict(['portal_id', 'source', 'external_id'])
    .ignore()
    .returning('id');
  if (inserted.length === 0) return false;
  const settled = applied > 0 && applied === balance;
  await trx('invoices')
    .where({ portal_id: portalId, id: invoiceId })
    .update({ ...(settled ? { status: 'paid', paid_at: now } : {}), version: trx.raw('version + 1'), updated_at: now });
  const actor = stripeActor(portalId);
  const cause = { source: 'stripe', sessionId: facts.sessionId, paymentIntentId: facts.paymentIntentId, method: facts.method };
  if (applied > 0) {
    await appendEvent(trx, actor, invoiceId, settled ? 'invoice.paid' : 'invoice.partially_paid', {
      ...cause,
      amount: applied,
      balanceDue: balance - applied,
    });
  }
  if (credit > 0) {
    // Paid twice (or more than owed): overpayment. Paid after a void: the whole payment is credit.
    const reason = invoice.status === 'void' ? 'invoice_void' : 'overpayment';
    await appendEvent(trx, actor, invoiceId, 'invoice.credit_recorded', { ...cause, amount: credit, received: facts.amount, reason });
  }
  // Credit alone changes nothing HubSpot shows; an applied amount changes the balance or status.
  if (applied > 0) await upsertMirrorIntent(trx, portalId, invoiceId, settled ? 'paid' : 'open', now);
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
 */
export async function recordStripeRefund(trx: Knex.Transaction, portalId: number, facts: StripeRefundFacts, now: Date): Promise<RefundOutcome> {
  const payment = await trx('payments')
    .where({ portal_id: portalId, source: 'stripe', external_id: facts.paymentIntentId, kind: 'payment' })
    .first('id', 'invoice_id', 'amount', 'applied_amount', 'currency');
  if (!payment) return 'payment_unknown';
  const invoice = (await findInvoice(trx, portalId, payment.invoice_id, { forUpdate: true }))!;
  const [sums] = await trx('payments')
    .where({ portal_id: portalId, refund_of: payment.id })
    .select(trx.raw('coalesce(sum(amount), 0)::bigint AS refunded'), trx.raw('coalesce(sum(amount - applied_amount), 0)::bigint AS from_credit'));
  const refunded = Number(sums.refunded);
  const target = Math.min(facts.amountRefunded, Number(payment.amount));
  const amount = target - refunded;
  if (amount <= 0) return 'already_recorded';
  const creditLeft = Number(payment.amount) - Number(payment.applied_amount) - Number(sums.from_credit);
  const fromCredit = Math.min(amount, creditLeft);
  const applied = amount - fromCredit;
  const settings = (await findSettings(trx, portalId))!;
  const externalId = `${facts.chargeId}:refunded:${target}`;
  const inserted = await trx('payments')
    .insert({
      portal_id: portalId,
      invoice_id: payment.invoice_id,
      kind: 'refund',
      refund_of: payment.id,
      amount,
      applied_amount: applied,
      currency: payment.currency,
      method: 'other',
      received_on: todayIn(settings.timeZone, now),
      reference: facts.chargeId,
      source: 'stripe',
      external_id: externalId,
    })
    .onConflict(['portal_id', 'source', 'external_id'])
    .ignore()
    .returning('id');
  if (inserted.length === 0) return 'already_recorded';
  // The payments trigger lowered amount_paid and credit and reopened a paid invoice.
  await trx('invoices').where({ portal_id: portalId, id: invoice.id }).update({ version: trx.raw('version + 1'), updated_at: now });
  const reopened = invoice.status === 'paid' && applied > 0;
  await appendEvent(trx, stripeActor(portalId), invoice.id, 'invoice.payment_refunded', {
    source: 'stripe',
    chargeId: facts.chargeId,
    paymentIntentId: facts.paymentIntentId,
    amount,
    fromCredit,
    fromAmountPaid: applied,
    reopened,
  });
  if (applied > 0) await upsertMirrorIntent(trx, portalId, invoice.id, reopened ? 'open' : (invoice.status as 'open' | 'paid' | 'void'), now);
  return 'recorded';
}
