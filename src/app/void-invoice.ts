import { appendEvent } from '../db/events-repo.js';
import { upsertMirrorIntent } from '../db/invoice-mirrors-repo.js';
import { findInvoice } from '../db/invoices-repo.js';
import type { Invoice } from '../domain/invoice.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound, ruleBroken } from './errors.js';
import { nudgeInvoiceMirror } from './invoice-mirror-nudge.js';

/** Voids an open invoice that has no payments; it keeps its number, which is never reused. */
export async function voidInvoice(
  deps: Pick<Deps, 'db' | 'clock'> & Partial<Pick<Deps, 'jobs' | 'logger'>>,
  actor: Actor,
  id: string,
  reason: string,
): Promise<Invoice> {
  const voided = await deps.db.transaction(async (trx) => {
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
    await trx('invoices')
      .where({ portal_id: actor.portalId, id })
      .update({ status: 'void', voided_at: now, void_reason: reason, version: trx.raw('version + 1'), updated_at: now });
    await appendEvent(trx, actor, id, 'invoice.voided', { reason });
    await upsertMirrorIntent(trx, actor.portalId, id, 'void', now);
    return (await findInvoice(trx, actor.portalId, id))!;
  });
  nudgeInvoiceMirror(deps, { portalId: actor.portalId, invoiceId: id });
  return voided;
}
