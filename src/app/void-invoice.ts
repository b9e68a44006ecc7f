import { findInvoice } from '../db/invoices-repo.js';
import { markVoid } from '../db/invoice-lifecycle-repo.js';
import { recordTransition } from '../db/invoice-transitions.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound, ruleBroken } from './errors.js';
import { nudgeInvoiceMirror } from './invoice-mirror-nudge.js';
import { settingsOf, withToday, type InvoiceToday } from './invoice-today.js';
import { nothingToPrepare, runCommand, type CommandRun } from './unit-of-work.js';

/**
 * Voids an open invoice that has no payments; it keeps its number, which is never reused. The
 * transition step (src/db/invoice-transitions.ts) writes the audit entry and the mirror intent;
 * the trigger `invoices_emit_webhook_events` writes the `invoice.voided` outbound webhook event.
 */
export async function voidInvoice(
  deps: Pick<Deps, 'db' | 'clock'> & Partial<Pick<Deps, 'jobs' | 'logger'>>,
  actor: Actor,
  id: string,
  reason: string,
  run: CommandRun<InvoiceToday> = {},
): Promise<InvoiceToday> {
  return runCommand(deps, run, nothingToPrepare, async (uow) => {
    const trx = uow.trx;
    const invoice = await findInvoice(trx, actor.portalId, id, { forUpdate: true });
    if (!invoice) throw notFound('Invoice');
    if (invoice.status === 'draft') {
      throw ruleBroken('invoice_not_voidable', 'A draft has no number yet: delete it instead of voiding it');
    }
    if (invoice.status !== 'open') throw ruleBroken('invoice_not_voidable', `A ${invoice.status} invoice cannot be voided`);
    if (invoice.amountPaid > 0) {
      throw ruleBroken('invoice_not_voidable', 'The invoice has payments: refund them before voiding it');
    }
    const now = deps.clock();
    await markVoid(trx, actor.portalId, id, reason, now);
    await recordTransition(trx, {
      portalId: actor.portalId,
      invoiceId: id,
      actorType: actor.kind,
      actorId: actor.userId,
      event: 'invoice.voided',
      data: { reason },
      mirror: 'void',
      now,
    });
    uow.afterCommit(() => nudgeInvoiceMirror(deps, { portalId: actor.portalId, invoiceId: id }));
    return withToday((await findInvoice(trx, actor.portalId, id))!, await settingsOf(trx, actor.portalId), now);
  });
}
