import type { MirrorStatus } from '../../domain/crm.js';

// ---- HubSpot invoice mirror (write side) ----------------------------------------------------

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
  /**
   * The line's tax rate, a decimal percent string (e.g. "8.25"), or null when untaxed. The CRM
   * copy links it to the portal's tax rate group of that rate where exactly one exists.
   */
  taxRate: string | null;
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
  /** The invoice's tax, in minor units of `currency` (fixed once finalized). */
  taxTotal: number;
  /** Where the buyer sees and pays the invoice (our hosted page; the CRM copy is never payable). */
  hostedUrl: string;
}

/** The buyer as the invoice names it, for finding or creating the CRM contact. */
export interface MirrorBuyer {
  email: string;
  name: string | null;
  companyName: string | null;
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
  /** Creates the CRM invoice as a non-billable draft, stamped with our invoice id; returns its CRM id. */
  createInvoice(portalId: number, invoice: MirrorInvoice, state: MirrorState): Promise<string>;
  /**
   * The CRM contact with the buyer's email, created when the CRM has none (so an invoice without
   * a CRM contact is still mirrored). Idempotent: a create the CRM refuses because the email
   * exists answers the existing contact.
   */
  ensureContact(portalId: number, buyer: MirrorBuyer): Promise<{ id: string; created: boolean }>;
  /** Associates the CRM invoice with the records (idempotent); lists the ones the CRM no longer has. */
  associate(portalId: number, crmInvoiceId: string, associations: MirrorAssociations): Promise<{ missing: string[] }>;
  /** Line items already associated with the CRM invoice, with the position stamped on them. */
  listLineItems(portalId: number, crmInvoiceId: string): Promise<Array<{ id: string; position: number | null }>>;
  /** Creates line items associated with the CRM invoice in one call; returns their ids by position. */
  createLineItems(portalId: number, crmInvoiceId: string, currency: string, lines: MirrorLine[]): Promise<Array<{ id: string; position: number }>>;
  /** Pushes status and amounts; `not_found` when the CRM invoice was deleted there. */
  setState(portalId: number, crmInvoiceId: string, state: MirrorState): Promise<'updated' | 'not_found'>;
}
