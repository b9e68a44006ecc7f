import type { CompanyBundle, ContactBundle, CrmQuote, DealBundle, QuoteBundle } from '../../domain/crm.js';

/**
 * Reads CRM records of a portal. Implementations throw `CrmRecordNotFound` for missing or
 * archived records and `DomainError('upstream_error')` when the CRM fails after retries.
 */
export interface CrmPort {
  readDeal(portalId: number, dealId: string): Promise<DealBundle>;
  readQuote(portalId: number, quoteId: string): Promise<QuoteBundle>;
  listDealQuotes(portalId: number, dealId: string): Promise<CrmQuote[]>;
  readContact(portalId: number, contactId: string): Promise<ContactBundle>;
  readCompany(portalId: number, companyId: string): Promise<CompanyBundle>;
}
