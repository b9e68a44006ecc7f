import type { CrmPort } from './ports/crm.js';
import { draftFromCompany, draftFromContact, draftFromDeal, draftFromQuote, type CrmDraftParts } from '../domain/from-crm.js';
import type { ObjectType } from '../domain/invoice.js';

/**
 * Reads a CRM record through the port and turns it into draft parts. Runs outside any database
 * transaction: HubSpot calls can take seconds and must never hold a lock.
 */
export async function readCrmRecord(
  crm: CrmPort,
  portalId: number,
  source: { objectType: ObjectType; objectId: string },
  defaultCurrency: string,
): Promise<CrmDraftParts> {
  switch (source.objectType) {
    case 'deals':
      return draftFromDeal(await crm.readDeal(portalId, source.objectId), defaultCurrency);
    case 'quotes':
      return draftFromQuote(await crm.readQuote(portalId, source.objectId), defaultCurrency);
    case 'contacts':
      return draftFromContact(await crm.readContact(portalId, source.objectId), defaultCurrency);
    case 'companies':
      return draftFromCompany(await crm.readCompany(portalId, source.objectId), defaultCurrency);
  }
}
