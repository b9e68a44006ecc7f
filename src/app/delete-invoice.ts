import { deleteDraftRow } from '../db/invoice-lifecycle-repo.js';
import { recordTransition } from '../db/invoice-transitions.js';
import { findInvoice } from '../db/invoices-repo.js';
import { assertDraft } from '../domain/lifecycle.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound } from './errors.js';
import { nothingToPrepare, runCommand, type CommandRun } from './unit-of-work.js';

/** Deletes a draft. Finalized invoices are never deleted (void them); the database refuses it too. */
export async function deleteInvoice(
  deps: Pick<Deps, 'db' | 'clock'> & Partial<Pick<Deps, 'logger'>>,
  actor: Actor,
  id: string,
  run: CommandRun<void> = {},
): Promise<void> {
  await runCommand(deps, run, nothingToPrepare, async (uow) => {
    const current = await findInvoice(uow.trx, actor.portalId, id, { forUpdate: true });
    if (!current) throw notFound('Invoice');
    assertDraft(current.status);
    await deleteDraftRow(uow.trx, actor.portalId, id);
    await recordTransition(uow.trx, {
      portalId: actor.portalId,
      invoiceId: id,
      actorType: actor.kind,
      actorId: actor.userId,
      event: 'invoice.deleted',
      now: deps.clock(),
    });
  });
}
