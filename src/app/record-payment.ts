import { appendEvent } from '../db/events-repo.js';
import { upsertMirrorIntent } from '../db/invoice-mirrors-repo.js';
import { findInvoice } from '../db/invoices-repo.js';
import { todayIn } from '../domain/dates.js';
import { invalidField } from '../domain/errors.js';
import { balanceDue, type Invoice } from '../domain/invoice.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound, ruleBroken } from './errors.js';
import { findSettings } from '../db/portals-repo.js';
import { nudgeInvoiceMirror } from './invoice-mirror-nudge.js';

export const PAYMENT_RECORD_METHODS = ['bank_transfer', 'check', 'cash', 'card', 'ach', 'other'] as const;

/** A payment received outside the payment processor. */
export interface ManualPayment {
  amount: number;
  method: (typeof PAYMENT_RECORD_METHODS)[number];
  receivedOn?: string;
  reference?: string;
}

/**
 * Records a payment made outside the processor (cash, cheque, transfer). Partial payments leave a
 * balance; at zero balance the invoice becomes paid. Never above the balance: checked here for a
 * clear message, and by the database (the payments trigger and the amount_paid CHECK) as well.
 */
export async function recordPayment(
  deps: Pick<Deps, 'db' | 'clock'> & Partial<Pick<Deps, 'jobs' | 'logger'>>,
  actor: Actor,
  id: string,
  payment: ManualPayment,
): Promise<Invoice> {
  const paid = await deps.db.transaction(async (trx) => {
    const invoice = await findInvoice(trx, actor.portalId, id, { forUpdate: true });
    if (!invoice) throw notFound('Invoice');
    if (invoice.status !== 'open') {
      throw ruleBroken('invoice_not_payable', `Payments can only be recorded on open invoices; this one is ${invoice.status}`);
    }
    const balance = balanceDue(invoice);
    if (payment.amount > balance) {
      throw ruleBroken('payment_exceeds_balance', `The payment of ${payment.amount} is more than the balance due of ${balance}`, [
        { path: 'amount', message: `must be at most the balance due (${balance})` },
      ]);
    }
    const now = deps.clock();
    const settings = (await findSettings(trx, actor.portalId))!;
    const receivedOn = payment.receivedOn ?? todayIn(settings.timeZone, now);
    if (receivedOn > todayIn(settings.timeZone, now)) throw invalidField('receivedOn', 'must not be in the future');
    await trx('payments').insert({
      portal_id: actor.portalId,
      invoice_id: id,
      amount: payment.amount,
      currency: invoice.currency,
      method: payment.method,
      received_on: receivedOn,
      reference: payment.reference ?? '',
      source: 'manual',
      created_by: actor.userId,
    });
    const settled = payment.amount === balance;
    await trx('invoices')
      .where({ portal_id: actor.portalId, id })
      .update({
        ...(settled ? { status: 'paid', paid_at: now } : {}),
        version: trx.raw('version + 1'),
        updated_at: now,
      });
    await appendEvent(trx, actor, id, settled ? 'invoice.paid' : 'invoice.partially_paid', {
      amount: payment.amount,
      method: payment.method,
      receivedOn,
      reference: payment.reference ?? '',
      balanceDue: balance - payment.amount,
    });
    // A partial payment keeps the status but changes the balance HubSpot shows: a new intent too.
    await upsertMirrorIntent(trx, actor.portalId, id, settled ? 'paid' : 'open', now);
    return (await findInvoice(trx, actor.portalId, id))!;
  });
  nudgeInvoiceMirror(deps, { portalId: actor.portalId, invoiceId: id });
  return paid;
}
