import { appendEvent } from '../db/events-repo.js';
import { findInvoice } from '../db/invoices-repo.js';
import { assertDraft } from '../domain/lifecycle.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound } from './errors.js';

/** Deletes a draft. Finalized invoices are never deleted (void them); the database refuses it too. */
export async function deleteInvoice(deps: Pick<Deps, 'db'>, actor: Actor, id: string): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const current = await findInvoice(trx, actor.portalId, id, { forUpdate: true });
    if (!current) throw notFound('Invoice');
    assertDraft(current.status);
    await trx('invoices').where({ portal_id: actor.portalId, id }).delete();
    await appendEvent(trx, actor, id, 'invoice.deleted');
  });
}
