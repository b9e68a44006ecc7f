import type { Address } from './invoice.js';
import { DomainError } from './errors.js';

/**
 * CRM records as the invoicing domain needs them, independent of HubSpot's wire format. Numbers
 * stay the decimal strings HubSpot stores (never floats); the domain converts them to minor
 * units with the invoice currency's exponent.
 */

export interface CrmLineItem {
  id: string;
  name: string;
  description: string;
  sku: string | null;
  /** Decimal string, e.g. "1.5". */
  quantity: string;
  /** Unit price in major units as a decimal string, e.g. "1234.5". */
  price: string;
  /** Percentage discount as a decimal string, or null. */
  discountPercent: string | null;
  /** Fixed discount for the whole line in major units as a decimal string, or null. */
  discountAmount: string | null;
  /**
   * Tax rate percentage as a decimal string, or null. The CRM read leaves it null: the rate comes
   * from the line's tax rate group ({@link taxRateGroupId}), resolved through the tax rates API.
   */
  taxRate: string | null;
  /** HubSpot's `hs_tax_rate_group_id`: the line's entry in the portal's tax rate library, or null. */
  taxRateGroupId: string | null;
  productId: string | null;
  /** ISO currency of the line, when HubSpot has one. */
  currency: string | null;
}

export interface CrmContact {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  address: Address | null;
}

export interface CrmCompany {
  id: string;
  name: string | null;
  address: Address | null;
}

export interface CrmDeal {
  id: string;
  name: string | null;
  currency: string | null;
}

export interface CrmQuote {
  id: string;
  title: string | null;
  /** HubSpot's hs_status: DRAFT, APPROVAL_NOT_NEEDED, PENDING_APPROVAL, APPROVED, REJECTED, ... */
  status: string | null;
  /** hs_locked (HubSpot locks a quote against edits); informative only, see {@link isQuotePublished}. */
  locked: boolean;
  currency: string | null;
}

/** A deal with what an invoice copies from it. `companies[0]` is the primary company, if any. */
export interface DealBundle {
  deal: CrmDeal;
  lineItems: CrmLineItem[];
  contacts: CrmContact[];
  companies: CrmCompany[];
}

/** A quote with what an invoice copies from it. */
export interface QuoteBundle {
  quote: CrmQuote;
  lineItems: CrmLineItem[];
  dealIds: string[];
  contacts: CrmContact[];
  companies: CrmCompany[];
}

export interface ContactBundle {
  contact: CrmContact;
  /** Primary company first. */
  companies: CrmCompany[];
}

export interface CompanyBundle {
  company: CrmCompany;
  contacts: CrmContact[];
}

/**
 * The `hs_status` values of a quote that is published, so its terms are final and it can become
 * an invoice: APPROVAL_NOT_NEEDED (published without an approval step) and APPROVED (approved,
 * then published). DRAFT, PENDING_APPROVAL and REJECTED are not. Source: HubSpot's quotes API
 * guide (docs/hubspot.md, "Taxes, quotes and associations").
 */
export const PUBLISHED_QUOTE_STATUSES: readonly string[] = Object.freeze(['APPROVAL_NOT_NEEDED', 'APPROVED']);

/** Whether a quote can become an invoice: its status is a published one (unknown statuses are not). */
export function isQuotePublished(quote: Pick<CrmQuote, 'status'>): boolean {
  return quote.status !== null && PUBLISHED_QUOTE_STATUSES.includes(quote.status);
}

/** The CRM record does not exist, is archived, or belongs to another portal. */
export function crmRecordNotFound(objectType: string, id: string): DomainError {
  return new DomainError('not_found', `${objectType} ${id} was not found in HubSpot (missing, archived or not shared with this app)`, [
    { path: 'source.objectId', message: `${objectType} ${id} not found` },
  ]);
}

// ---- HubSpot invoice mirror (write side) ----------------------------------------------------

/** The statuses of a finalized invoice, as the mirror pushes them to the CRM. */
export type MirrorStatus = 'open' | 'paid' | 'void';
