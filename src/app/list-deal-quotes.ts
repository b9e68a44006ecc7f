import { isQuotePublished, type CrmQuote } from '../domain/crm.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';

/** A deal's quotes, each with whether it can become an invoice (only published ones can: see isQuotePublished). */
export async function listDealQuotes(deps: Pick<Deps, 'crm'>, actor: Actor, dealId: string): Promise<Array<CrmQuote & { convertible: boolean }>> {
  const quotes = await deps.crm.listDealQuotes(actor.portalId, dealId);
  return quotes.map((q) => ({ ...q, convertible: isQuotePublished(q) }));
}
