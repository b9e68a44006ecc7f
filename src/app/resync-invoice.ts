import { findInvoice } from '../db/invoices-repo.js';
import { assertDraft } from '../domain/lifecycle.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import type { DraftInput } from './draft-content.js';
import { notFound, ruleBroken } from './errors.js';
import type { InvoiceToday } from './invoice-today.js';
import { readCrmRecord } from './read-crm-record.js';
import { runCommand, type CommandRun } from './unit-of-work.js';
import { writeDraftEdit } from './update-invoice.js';

/**
 * What re-copying a draft from its source record would change: line items, billing contact,
 * associations and currency, with the version they were read against and the instant the source
 * was read (pass it to updateInvoice as `sourceReadAt`). Reads HubSpot outside any transaction.
 */
export async function resyncChanges(
  deps: Pick<Deps, 'db' | 'crm' | 'clock'> & Partial<Pick<Deps, 'taxRates'>>,
  actor: Actor,
  id: string,
): Promise<{ version: number; changes: DraftInput; sourceReadAt: Date }> {
  const current = await findInvoice(deps.db, actor.portalId, id);
  if (!current) throw notFound('Invoice');
  assertDraft(current.status);
  if (!current.source) throw ruleBroken('invoice_has_no_source', 'This draft was not created from a CRM record, so there is nothing to re-copy');
  // Taken before the read: a change HubSpot reports after this instant may be missing from it.
  const sourceReadAt = deps.clock();
  const parts = await readCrmRecord(deps, actor.portalId, current.source, current.currency);
  return {
    version: current.version,
    changes: { currency: parts.currency, lineItems: parts.lineItems, billTo: parts.billTo, associations: parts.associations, warnings: parts.warnings },
    sourceReadAt,
  };
}

/**
 * Re-copies a draft from its source record: prepare reads the draft and HubSpot
 * ({@link resyncChanges}), commit writes the edit guarded by the version read first, so an edit
 * made meanwhile wins with a 409 instead of being overwritten.
 */
export async function resyncInvoice(
  deps: Pick<Deps, 'db' | 'clock' | 'crm'> & Partial<Pick<Deps, 'logger' | 'taxRates'>>,
  actor: Actor,
  id: string,
  run: CommandRun<InvoiceToday> = {},
): Promise<InvoiceToday> {
  return runCommand(
    deps,
    run,
    () => resyncChanges(deps, actor, id),
    (uow, { version, changes, sourceReadAt }) => writeDraftEdit(uow, deps, actor, id, version, changes, sourceReadAt),
  );
}
