import type { Knex } from 'knex';
import { appendEvent } from '../db/events-repo.js';
import { claimEvent, wasProcessed } from '../db/processed-events-repo.js';
import {
  clearStripeConnection,
  findAttemptByIntent,
  findAttemptBySession,
  portalsWithAccount,
  setChargesEnabled,
  updateAttempt,
  type CheckoutAttempt,
} from '../db/stripe-repo.js';
import type { Deps } from './deps.js';
import { nudgeInvoiceMirror } from './invoice-mirror-nudge.js';
import { recordStripePayment, recordStripeRefund } from './stripe-money.js';
import type { SessionFacts, StripeChange, StripeEventIn } from './ports/stripe.js';
import { nothingToPrepare, runCommand } from './unit-of-work.js';

/** `duplicate`: delivered before; `ignored`: not ours, stale, or nothing to do. */
export type StripeEventOutcome = 'applied' | 'duplicate' | 'ignored';

/**
 * The event refers to a payment this service has not recorded yet (a refund overtaking its
 * payment's events). Nothing is claimed, so Stripe's redelivery applies it later.
 */
export class StripeEventNotReady extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StripeEventNotReady';
  }
}

interface Applied {
  outcome: StripeEventOutcome;
  touched?: { portalId: number; invoiceId: string };
}

/**
 * Applies one verified Stripe event exactly once: it is claimed in processed_events inside the
 * transaction that applies it, and payments carry a unique external id as the last line of
 * defence. Order does not matter: a session only moves forward (open -> pending -> paid | failed),
 * so a late `completed` after `async_payment_succeeded` changes nothing, and refunds follow the
 * charge's running total.
 *
 * Payments and refunds change the invoice through the trigger `payments_apply_to_invoice` and
 * emit outbound webhook events through `invoices_emit_webhook_events` (see stripe-money.ts).
 */
export async function handleStripeEvent(
  deps: Pick<Deps, 'db' | 'clock'> & Partial<Pick<Deps, 'jobs' | 'logger'>>,
  event: StripeEventIn,
): Promise<StripeEventOutcome> {
  const now = deps.clock();
  // Redeliveries of an event applied long ago skip the transaction; the claim below still decides.
  if (await wasProcessed(deps.db, 'stripe', event.id)) return 'duplicate';
  return runCommand(deps, {}, nothingToPrepare, async (uow): Promise<StripeEventOutcome> => {
    if (!(await claimEvent(uow.trx, { source: 'stripe', eventId: event.id, portalId: null, type: event.type }, now))) return 'duplicate';
    const result = await apply(uow.trx, event, event.change, now);
    const touched = result.touched;
    if (touched) uow.afterCommit(() => nudgeInvoiceMirror(deps, touched));
    return result.outcome;
  });
}

async function apply(trx: Knex.Transaction, event: StripeEventIn, change: StripeChange, now: Date): Promise<Applied> {
  switch (change.kind) {
    case 'none':
      return { outcome: 'ignored' };
    case 'account_updated':
      return { outcome: (await setChargesEnabled(trx, change.accountId, change.chargesEnabled, now)) > 0 ? 'applied' : 'ignored' };
    case 'account_deauthorized':
      return { outcome: (await disconnect(trx, event, now)) ? 'applied' : 'ignored' };
    case 'charge_refunded':
      return refund(trx, event, change, now);
    default:
      return sessionEvent(trx, event, change, now);
  }
}

/** Disconnects the portals on that account, unless they connected (again) after the event. */
async function disconnect(trx: Knex.Transaction, event: StripeEventIn, now: Date): Promise<boolean> {
  if (!event.accountId) return false;
  let any = false;
  for (const p of await portalsWithAccount(trx, event.accountId)) {
    // Event times have second precision: a connection made a second or more later is newer.
    if (p.connectedAt && p.connectedAt.getTime() >= event.created.getTime() + 1000) continue;
    any = (await clearStripeConnection(trx, p.portalId, now, event.accountId)) || any;
  }
  return any;
}

type SessionChange = Extract<StripeChange, SessionFacts>;

async function sessionEvent(trx: Knex.Transaction, event: StripeEventIn, change: SessionChange, now: Date): Promise<Applied> {
  const attempt = await findAttemptBySession(trx, change.sessionId, { forUpdate: true });
  // Not a session of ours, or one claimed by another account: nothing to do.
  if (!attempt || event.accountId !== attempt.accountId) return { outcome: 'ignored' };
  const touched = { portalId: attempt.portalId, invoiceId: attempt.invoiceId };
  const intent = change.paymentIntentId;
  switch (change.kind) {
    case 'session_completed':
      if (change.paymentStatus === 'paid') return pay(trx, attempt, change, 'card', now);
      if (change.paymentStatus === 'unpaid' && moves(attempt, 'pending')) {
        await updateAttempt(trx, attempt, 'pending', intent, now);
        await appendEvent(trx, actor(attempt), attempt.invoiceId, 'invoice.payment_pending', {
          source: 'stripe',
          sessionId: change.sessionId,
          amount: change.amount,
        });
        return { outcome: 'applied' };
      }
      return { outcome: 'ignored' };
    case 'session_async_succeeded':
      return pay(trx, attempt, change, 'ach', now);
    case 'session_async_failed':
      if (!moves(attempt, 'failed')) return { outcome: 'ignored' };
      await updateAttempt(trx, attempt, 'failed', intent, now);
      await appendEvent(trx, actor(attempt), attempt.invoiceId, 'invoice.payment_failed', {
        source: 'stripe',
        sessionId: change.sessionId,
        amount: change.amount,
      });
      return { outcome: 'applied', touched };
    case 'session_expired':
      if (!moves(attempt, 'expired')) return { outcome: 'ignored' };
      await updateAttempt(trx, attempt, 'expired', intent, now);
      return { outcome: 'applied' };
  }
}

/** Sessions only move forward; `paid` and `failed` are final. */
function moves(attempt: CheckoutAttempt, to: 'pending' | 'failed' | 'expired'): boolean {
  if (to === 'pending') return attempt.status === 'creating' || attempt.status === 'open';
  if (to === 'expired') return attempt.status === 'creating' || attempt.status === 'open';
  return attempt.status !== 'paid' && attempt.status !== 'failed';
}

async function pay(trx: Knex.Transaction, attempt: CheckoutAttempt, change: SessionFacts, method: 'card' | 'ach', now: Date): Promise<Applied> {
  // Money Stripe collected is recorded even on a session we had marked failed or expired.
  const recorded = await recordStripePayment(trx, attempt, { ...change, method }, now);
  if (attempt.status !== 'paid') await updateAttempt(trx, attempt, 'paid', change.paymentIntentId, now);
  return recorded ? { outcome: 'applied', touched: { portalId: attempt.portalId, invoiceId: attempt.invoiceId } } : { outcome: 'ignored' };
}

async function refund(trx: Knex.Transaction, event: StripeEventIn, change: Extract<StripeChange, { kind: 'charge_refunded' }>, now: Date): Promise<Applied> {
  if (!event.accountId || !change.paymentIntentId) return { outcome: 'ignored' };
  const attempt = await findAttemptByIntent(trx, event.accountId, change.paymentIntentId);
  if (!attempt) {
    // Ours (by metadata) but its session events are still on their way: try again later.
    if (change.attemptId) throw new StripeEventNotReady(`refund of ${change.paymentIntentId} arrived before its checkout session events`);
    // A charge of the seller's own business on the same account is none of ours.
    return { outcome: 'ignored' };
  }
  const outcome = await recordStripeRefund(
    trx,
    attempt.portalId,
    { chargeId: change.chargeId, paymentIntentId: change.paymentIntentId, amountRefunded: change.amountRefunded },
    now,
  );
  if (outcome === 'payment_unknown') throw new StripeEventNotReady(`refund of ${change.paymentIntentId} arrived before its payment was recorded`);
  return outcome === 'recorded' ? { outcome: 'applied', touched: { portalId: attempt.portalId, invoiceId: attempt.invoiceId } } : { outcome: 'ignored' };
}

function actor(attempt: CheckoutAttempt) {
  return { portalId: attempt.portalId, userId: null, kind: 'stripe' as const, scopes: [] };
}
