import type { CrmPort } from './ports/crm.js';
import type { TaxRatesPort } from './ports/tax-rates.js';
import type { CrmLineItem } from '../domain/crm.js';
import { applyTaxRates, taxRateGroupIds, type DraftWarning, type TaxRateLookup } from '../domain/crm-tax.js';
import { draftFromCompany, draftFromContact, draftFromDeal, draftFromQuote, type CrmDraftParts } from '../domain/from-crm.js';
import type { ObjectType } from '../domain/invoice.js';

/**
 * Reads a CRM record through the port and turns it into draft parts. Runs outside any database
 * transaction: HubSpot calls can take seconds and must never hold a lock. Line items' tax rate
 * groups are resolved through `taxRates` (one lookup for the distinct groups of the record); a
 * group that cannot be resolved leaves its line untaxed and adds a warning to the parts.
 */
export async function readCrmRecord(
  deps: { crm: CrmPort; taxRates?: TaxRatesPort | undefined },
  portalId: number,
  source: { objectType: ObjectType; objectId: string },
  defaultCurrency: string,
): Promise<CrmDraftParts> {
  const { crm } = deps;
  switch (source.objectType) {
    case 'deals': {
      const bundle = await crm.readDeal(portalId, source.objectId);
      const taxed = await withTaxRates(deps.taxRates, portalId, bundle.lineItems);
      return { ...draftFromDeal({ ...bundle, lineItems: taxed.lines }, defaultCurrency), warnings: taxed.warnings };
    }
    case 'quotes': {
      const bundle = await crm.readQuote(portalId, source.objectId);
      // An unpublished quote is refused before any tax rate is looked up.
      draftFromQuote({ ...bundle, lineItems: [] }, defaultCurrency);
      const taxed = await withTaxRates(deps.taxRates, portalId, bundle.lineItems);
      return { ...draftFromQuote({ ...bundle, lineItems: taxed.lines }, defaultCurrency), warnings: taxed.warnings };
    }
    case 'contacts':
      return draftFromContact(await crm.readContact(portalId, source.objectId), defaultCurrency);
    case 'companies':
      return draftFromCompany(await crm.readCompany(portalId, source.objectId), defaultCurrency);
  }
}

async function withTaxRates(
  taxRates: TaxRatesPort | undefined,
  portalId: number,
  lines: CrmLineItem[],
): Promise<{ lines: CrmLineItem[]; warnings: DraftWarning[] }> {
  const groupIds = taxRateGroupIds(lines);
  if (groupIds.length === 0) return { lines, warnings: [] };
  const lookups: Map<string, TaxRateLookup> = taxRates
    ? await taxRates.lookup(portalId, groupIds)
    : new Map(groupIds.map((id) => [id, { status: 'unavailable', reason: 'this service has no connection to the tax rates API' }]));
  return applyTaxRates(lines, lookups);
}
