import type { Knex } from 'knex';

/**
 * Money received or returned for an invoice, as one row of `payments`. `appliedAmount` is what
 * counts against the balance (the rest is credit); manual payments apply in full.
 */
export interface PaymentRow {
  portalId: number;
  invoiceId: string;
  kind: 'payment' | 'refund';
  /** For a refund: the id of the payment it returns. */
  refundOf?: string | undefined;
  amount: number;
  appliedAmount: number;
  currency: string;
  method: string;
  receivedOn: string;
  reference: string;
  source: 'manual' | 'stripe';
  /** The processor's id: a second row with the same (portal, source, external id) is ignored. */
  externalId?: string | undefined;
  createdBy?: string | null | undefined;
}

/**
 * The one "apply a payment" path, for manual and Stripe payments and refunds alike. Inserts the
 * row; the trigger `payments_apply_to_invoice` then moves `amount_paid` and `credit_amount` (and
 * reopens a paid invoice a refund takes money back from), refusing a payment on an invoice that
 * is not open. Then the invoice's version is bumped, and `settles` marks it paid at `now`.
 * Returns false, changing nothing, when a row with the same external id was recorded before.
 */
export async function applyPayment(trx: Knex.Transaction, p: PaymentRow, outcome: { settles: boolean; now: Date }): Promise<boolean> {
  const insert = trx('payments').insert({
    portal_id: p.portalId,
    invoice_id: p.invoiceId,
    kind: p.kind,
    ...(p.refundOf === undefined ? {} : { refund_of: p.refundOf }),
    amount: p.amount,
    applied_amount: p.appliedAmount,
    currency: p.currency,
    method: p.method,
    received_on: p.receivedOn,
    reference: p.reference,
    source: p.source,
    ...(p.externalId === undefined ? {} : { external_id: p.externalId }),
    ...(p.createdBy === undefined ? {} : { created_by: p.createdBy }),
  });
  if (p.externalId !== undefined) {
    const inserted = await insert.onConflict(['portal_id', 'source', 'external_id']).ignore().returning('id');
    if (inserted.length === 0) return false;
  } else {
    await insert;
  }
  const now = outcome.now;
  await trx('invoices')
    .where({ portal_id: p.portalId, id: p.invoiceId })
    .update({ ...(outcome.settles ? { status: 'paid', paid_at: now } : {}), version: trx.raw('version + 1'), updated_at: now });
  return true;
}

/** A recorded processor payment, as a refund needs it. */
export interface RecordedPayment {
  id: string;
  invoiceId: string;
  amount: number;
  appliedAmount: number;
  currency: string;
}

/** The Stripe payment recorded for a PaymentIntent, or null. */
export async function findStripePayment(trx: Knex.Transaction, portalId: number, paymentIntentId: string): Promise<RecordedPayment | null> {
  const row = await trx('payments')
    .where({ portal_id: portalId, source: 'stripe', external_id: paymentIntentId, kind: 'payment' })
    .first('id', 'invoice_id', 'amount', 'applied_amount', 'currency');
  return row
    ? { id: String(row.id), invoiceId: row.invoice_id, amount: Number(row.amount), appliedAmount: Number(row.applied_amount), currency: row.currency }
    : null;
}

/** What refunds of a payment returned so far: in total, and out of its credit. */
export async function refundedSoFar(trx: Knex.Transaction, portalId: number, paymentId: string): Promise<{ refunded: number; fromCredit: number }> {
  const [sums] = await trx('payments')
    .where({ portal_id: portalId, refund_of: paymentId })
    .select(trx.raw('coalesce(sum(amount), 0)::bigint AS refunded'), trx.raw('coalesce(sum(amount - applied_amount), 0)::bigint AS from_credit'));
  return { refunded: Number(sums.refunded), fromCredit: Number(sums.from_credit) };
}
