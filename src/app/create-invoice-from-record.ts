import type { Invoice, ObjectType } from '../domain/invoice.js';
import type { Actor } from '../domain/actor.js';
import { createInvoice } from './create-invoice.js';
import type { Deps } from './deps.js';
import type { DraftInput } from './draft-content.js';
import { readCrmRecord } from './read-crm-record.js';
import { getSettings } from './settings.js';

type Source = { objectType: ObjectType; objectId: string };

/**
 * The draft a CRM record gives: a deal's or published quote's line items, contacts and company,
 * or a contact or company with its counterpart. Fields in `overrides` (terms, comments, ...) win.
 * Reads HubSpot and no transaction is open: callers create the draft afterwards.
 */
export async function draftFromRecord(deps: Pick<Deps, 'db' | 'crm'>, actor: Actor, source: Source, overrides: DraftInput = {}): Promise<DraftInput> {
  const settings = await getSettings(deps, actor);
  const parts = await readCrmRecord(deps.crm, actor.portalId, source, overrides.currency ?? settings.defaultCurrency);
  return { ...parts, ...overrides, source: parts.source };
}

/** Creates a draft from a CRM record (see {@link draftFromRecord}). */
export async function createInvoiceFromRecord(deps: Pick<Deps, 'db' | 'clock' | 'crm'>, actor: Actor, source: Source, overrides: DraftInput = {}): Promise<Invoice> {
  return createInvoice(deps, actor, await draftFromRecord(deps, actor, source, overrides));
}
