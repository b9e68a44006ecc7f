import { recordTransition } from '../db/invoice-transitions.js';
import { findInvoice } from '../db/invoices-repo.js';
import { applyPayment } from '../db/payments-repo.js';
import { todayIn } from '../domain/dates.js';
import { invalidField } from '../domain/errors.js';
import { balanceDue } from '../domain/invoice.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound, ruleBroken } from './errors.js';
import { nudgeInvoiceMirror } from './invoice-mirror-nudge.js';
import { settingsOf, withToday, type InvoiceToday } from './invoice-today.js';
import { nothingToPrepare, runCommand, type CommandRun } from './unit-of-work.js';

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
 *
 * The transition step (src/db/invoice-transitions.ts) writes the audit entry and the mirror
 * intent. Relies on two triggers: `payments_apply_to_invoice` raises the invoice's `amount_paid`
 * when the payment row is inserted (this use case then sets `paid`), and
 * `invoices_emit_webhook_events` writes the `invoice.paid` / `invoice.partially_paid` outbound
 * webhook event.
 */
export async function recordPayment(
  deps: Pick<Deps, 'db' | 'clock'> & Partial<Pick<Deps, 'jobs' | 'logger'>>,
  actor: Actor,
  id: string,
  payment: ManualPayment,
  run: CommandRun<InvoiceToday> = {},
): Promise<InvoiceToday> {
  return runCommand(deps, run, nothingToPrepare, async (uow) => {
    const trx = uow.trx;
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
    const settings = await settingsOf(trx, actor.portalId);
    const receivedOn = payment.receivedOn ?? todayIn(settings.timeZone, now);
    if (receivedOn > todayIn(settings.timeZone, now)) throw invalidField('receivedOn', 'must not be in the future');
    const settled = payment.amount === balance;
    await applyPayment(
      trx,
      {
        portalId: actor.portalId,
        invoiceId: id,
        kind: 'payment',
        amount: payment.amount,
        appliedAmount: payment.amount,
        currency: invoice.currency,
        method: payment.method,
        receivedOn,
        reference: payment.reference ?? '',
        source: 'manual',
        createdBy: actor.userId,
      },
      { settles: settled, now },
    );
    // A partial payment keeps the status but changes the balance HubSpot shows: a new intent too.
    await recordTransition(trx, {
      portalId: actor.portalId,
      invoiceId: id,
      actorType: actor.kind,
      actorId: actor.userId,
      event: settled ? 'invoice.paid' : 'invoice.partially_paid',
      data: { amount: payment.amount, method: payment.method, receivedOn, reference: payment.reference ?? '', balanceDue: balance - payment.amount },
      mirror: settled ? 'paid' : 'open',
      now,
    });
    uow.afterCommit(() => nudgeInvoiceMirror(deps, { portalId: actor.portalId, invoiceId: id }));
    return withToday((await findInvoice(trx, actor.portalId, id))!, settings, now);
  });
}
