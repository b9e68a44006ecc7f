import type { DraftWarning } from '../domain/crm-tax.js';
import { DomainError } from '../domain/errors.js';
import type { LineItemInput } from '../domain/invoice.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { readCrmRecord } from './read-crm-record.js';
import { getSettings } from './settings.js';

/** The CRM records whose line items a draft can take lines from. */
export const LINE_ITEM_SOURCES = ['deals', 'quotes'] as const;
export type LineItemSource = (typeof LINE_ITEM_SOURCES)[number];

/** A record's line items as draft lines, in the currency a draft copied from that record would have. */
export interface RecordLineItems {
  currency: string;
  lineItems: LineItemInput[];
  /** Lines whose HubSpot tax rate group could not be resolved (copied untaxed), and why. */
  warnings: DraftWarning[];
}

/**
 * A deal's or published quote's line items, converted exactly as a draft copied from the record
 * converts them (same CRM read, same mapping: {@link readCrmRecord}), so a card can offer the ones
 * a draft lacks. Reads HubSpot only; nothing is written. A quote that is not published is refused
 * like a draft from it would be (`quote_not_published`).
 */
export async function listRecordLineItems(
  deps: Pick<Deps, 'db' | 'crm'> & Partial<Pick<Deps, 'taxRates'>>,
  actor: Actor,
  source: { objectType: LineItemSource; objectId: string },
): Promise<RecordLineItems> {
  const settings = await getSettings(deps, actor);
  try {
    const parts = await readCrmRecord(deps, actor.portalId, source, settings.defaultCurrency);
    return { currency: parts.currency, lineItems: parts.lineItems, warnings: parts.warnings };
  } catch (err) {
    // The adapter names the draft body's field (`source.objectId`); here the id is the URL's.
    if (err instanceof DomainError && err.code === 'not_found') {
      throw new DomainError(err.code, err.message, [{ path: 'objectId', message: `${source.objectType} ${source.objectId} not found` }]);
    }
    throw err;
  }
}
