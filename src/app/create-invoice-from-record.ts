import type { ObjectType } from '../domain/invoice.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import type { DraftInput } from './draft-content.js';
import { settingsOf, type InvoiceToday } from './invoice-today.js';
import { insertNewDraft } from './new-draft.js';
import { readCrmRecord } from './read-crm-record.js';
import { runCommand, type CommandRun } from './unit-of-work.js';

type Source = { objectType: ObjectType; objectId: string };

/**
 * Creates a draft from a CRM record: a deal's or published quote's line items, contacts and
 * company, or a contact or company with its counterpart. Fields in `overrides` (terms,
 * comments, ...) win. Prepare reads the portal's settings (the currency to read prices in) and
 * HubSpot with no transaction open; commit inserts the draft with those same settings.
 */
export async function createInvoiceFromRecord(
  deps: Pick<Deps, 'db' | 'clock' | 'crm'> & Partial<Pick<Deps, 'logger' | 'taxRates'>>,
  actor: Actor,
  source: Source,
  overrides: DraftInput = {},
  run: CommandRun<InvoiceToday> = {},
): Promise<InvoiceToday> {
  return runCommand(
    deps,
    run,
    async () => {
      const settings = await settingsOf(deps.db, actor.portalId);
      const parts = await readCrmRecord(deps, actor.portalId, source, overrides.currency ?? settings.defaultCurrency);
      return { settings, draft: { ...parts, ...overrides, source: parts.source } };
    },
    (uow, { settings, draft }) => insertNewDraft(uow, deps, actor, draft, settings),
  );
}
