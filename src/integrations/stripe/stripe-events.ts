import type Stripe from 'stripe';
import type { SessionFacts, StripeChange, StripeEventIn } from '../../app/ports/stripe.js';

/** Translates a verified Stripe event into what it means for invoices (unknown types mean nothing). */
export function translateEvent(event: Stripe.Event): StripeEventIn {
  return {
    id: event.id,
    type: event.type,
    accountId: event.account ?? null,
    created: new Date(event.created * 1000),
    change: changeOf(event),
  };
}

function changeOf(event: Stripe.Event): StripeChange {
  switch (event.type) {
    case 'account.updated':
      return { kind: 'account_updated', accountId: event.data.object.id, chargesEnabled: event.data.object.charges_enabled === true };
    case 'account.application.deauthorized':
      return { kind: 'account_deauthorized' };
    case 'checkout.session.completed':
      return { kind: 'session_completed', paymentStatus: paymentStatusOf(event.data.object.payment_status), ...sessionFacts(event.data.object) };
    case 'checkout.session.async_payment_succeeded':
      return { kind: 'session_async_succeeded', ...sessionFacts(event.data.object) };
    case 'checkout.session.async_payment_failed':
      return { kind: 'session_async_failed', ...sessionFacts(event.data.object) };
    case 'checkout.session.expired':
      return { kind: 'session_expired', ...sessionFacts(event.data.object) };
    case 'charge.refunded': {
      const charge = event.data.object;
      return {
        kind: 'charge_refunded',
        chargeId: charge.id,
        paymentIntentId: idOf(charge.payment_intent),
        amountRefunded: charge.amount_refunded,
        currency: charge.currency.toUpperCase(),
        attemptId: charge.metadata?.attempt_id ?? null,
      };
    }
    default:
      return { kind: 'none' };
  }
}

function sessionFacts(session: Stripe.Checkout.Session): SessionFacts {
  return {
    sessionId: session.id,
    paymentIntentId: idOf(session.payment_intent),
    amount: session.amount_total ?? 0,
    currency: (session.currency ?? '').toUpperCase(),
  };
}

/** An unknown future status counts as not paid: money is only recorded when Stripe says it is paid. */
function paymentStatusOf(status: string): 'paid' | 'unpaid' | 'no_payment_required' {
  return status === 'paid' || status === 'no_payment_required' ? status : 'unpaid';
}

/** Expandable fields arrive as an id, or as the object when expanded. */
function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}
