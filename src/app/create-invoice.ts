import type { Actor } from '../domain/actor.js';
import { createInvoiceFromRecord } from './create-invoice-from-record.js';
import type { Deps } from './deps.js';
import type { DraftInput } from './draft-content.js';
import { settingsOf, type InvoiceToday } from './invoice-today.js';
import { insertNewDraft } from './new-draft.js';
import { nothingToPrepare, runCommand, type CommandRun } from './unit-of-work.js';

/**
 * Creates a draft invoice, filling gaps from the portal's defaults. A `source` without
 * `lineItems` means "copy from the CRM record": that is {@link createInvoiceFromRecord}, which
 * reads HubSpot first. With line items, the draft is taken as given and remembers its source.
 * The portal's settings are read once per create.
 */
export async function createInvoice(
  deps: Pick<Deps, 'db' | 'clock' | 'crm'> & Partial<Pick<Deps, 'logger' | 'taxRates'>>,
  actor: Actor,
  input: DraftInput,
  run: CommandRun<InvoiceToday> = {},
): Promise<InvoiceToday> {
  const { source, ...fields } = input;
  if (source && !fields.lineItems) return createInvoiceFromRecord(deps, actor, source, fields, run);
  return runCommand(deps, run, nothingToPrepare, async (uow) => insertNewDraft(uow, deps, actor, input, await settingsOf(uow.trx, actor.portalId)));
}
