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
  /** Tax rate percentage as a decimal string, or null. */
  taxRate: string | null;
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
  /** HubSpot's hs_status: DRAFT, PENDING_APPROVAL, APPROVED, REJECTED, ... */
  status: string | null;
  /** Published quotes are locked (hs_locked). */
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

/** The CRM record does not exist, is archived, or belongs to another portal. */
export function crmRecordNotFound(objectType: string, id: string): DomainError {
  return new DomainError('not_found', `${objectType} ${id} was not found in HubSpot (missing, archived or not shared with this app)`, [
    { path: 'source.objectId', message: `${objectType} ${id} not found` },
  ]);
}

// ---- HubSpot invoice mirror (write side) ----------------------------------------------------

/** The statuses of a finalized invoice, as the mirror pushes them to the CRM. */
export type MirrorStatus = 'open' | 'paid' | 'void';

/** One line of a finalized invoice, copied into a new CRM line item (never a deal's own line). */
export interface MirrorLine {
  /** 0-based position on our invoice; stamped on the CRM line item so a retry can recognize it. */
  position: number;
  name: string;
  description: string;
  sku: string | null;
  /** Decimal string, e.g. "1.5". */
  quantity: string;
  /** Price of one unit in minor units of the invoice currency. */
  unitPrice: number;
  /** A percentage of the line, or a fixed amount for the whole line in minor units. */
  discount: { type: 'percent'; percent: string } | { type: 'amount'; amount: number } | null;
}

/** The CRM records the mirrored invoice is associated with. */
export interface MirrorAssociations {
  /** The single contact the CRM needs to open an invoice: the billing contact. */
  contactId: string;
  companyIds: string[];
  dealIds: string[];
  quoteIds: string[];
}

/** The fixed part of a finalized invoice as the mirror shows it (set once, at creation). */
export interface MirrorInvoice {
  /** Our invoice id, stamped on the CRM invoice so a retry finds it after a crash. */
  invoiceId: string;
  number: string;
  currency: string;
  /** Start of the invoice date and of the due date in the portal's time zone (ISO 8601 instants). */
  invoiceDateStart: string;
  dueDateStart: string;
  /** What the buyer reads on the invoice (may be empty). */
  comments: string;
  paymentMethods: readonly import('./invoice.js').PaymentMethod[];
  allowPartialPayments: boolean;
  /** Where the buyer sees and pays the invoice (our hosted page). */
  hostedUrl: string;
}

/** The changing part: status and amounts in minor units of `currency`. */
export interface MirrorState {
  status: MirrorStatus;
  currency: string;
  total: number;
  amountPaid: number;
  balanceDue: number;
}

/**
 * Writes finalized invoices into the CRM's invoice object, one step per method so the caller can
 * record progress between steps (a retry then redoes only what is missing). Implementations throw
 * DomainError `upstream_error` when the CRM fails, and `hubspot_reauth_required` /
 * `portal_not_installed` when the portal's grant is gone.
 */
export interface InvoiceMirrorPort {
  /** At most this many lines go into one `createLineItems` call. */
  readonly lineItemBatchSize: number;
  /** The CRM invoice stamped with our invoice id, if one exists (the oldest, should there be two). */
  findInvoice(portalId: number, invoiceId: string): Promise<string | null>;
  /** Creates the CRM invoice as a draft, stamped with our invoice id; returns its CRM id. */
  createInvoice(portalId: number, invoice: MirrorInvoice, state: MirrorState): Promise<string>;
  /** Associates the CRM invoice with the records (idempotent); lists the ones the CRM no longer has. */
  associate(portalId: number, crmInvoiceId: string, associations: MirrorAssociations): Promise<{ missing: string[] }>;
  /** Line items already associated with the CRM invoice, with the position stamped on them. */
  listLineItems(portalId: number, crmInvoiceId: string): Promise<Array<{ id: string; position: number | null }>>;
  /** Creates line items associated with the CRM invoice in one call; returns their ids by position. */
  createLineItems(portalId: number, crmInvoiceId: string, currency: string, lines: MirrorLine[]): Promise<Array<{ id: string; position: number }>>;
  /** Pushes status and amounts; `not_found` when the CRM invoice was deleted there. */
  setState(portalId: number, crmInvoiceId: string, state: MirrorState): Promise<'updated' | 'not_found'>;
}
