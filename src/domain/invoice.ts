import type { InvoiceStatus } from './lifecycle.js';
import type { PaymentTerms } from './payment-terms.js';
import type { DraftWarning } from './draft-warning.js';
import { computeTotals, type InvoiceTotals } from './totals.js';

/** Ways a buyer may pay online. */
export const PAYMENT_METHODS = ['card', 'ach'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** CRM object types an invoice can be associated with or created from. */
export const OBJECT_TYPES = ['contacts', 'companies', 'deals', 'quotes'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export interface Discount {
  type: 'percent' | 'amount';
  /** Percent as a decimal string, or an amount in minor units as an integer string. */
  value: string;
}

/** A line as the user edits it. */
export interface LineItemInput {
  name: string;
  description: string;
  sku: string | null;
  quantity: string;
  unitPrice: number;
  discount: Discount | null;
  taxRate: string | null;
  hubspotLineItemId: string | null;
  hubspotProductId: string | null;
}

/** An invoice-level discount, fee or tax. */
export interface AdjustmentInput {
  kind: 'discount' | 'fee' | 'tax';
  label: string;
  type: 'percent' | 'amount';
  value: string;
}

export interface Address {
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

/** Who the invoice is addressed to (the billing contact). */
export interface BillTo {
  contactId?: string | null;
  name?: string | null;
  email?: string | null;
  companyName?: string | null;
  address?: Address | null;
}

export type Associations = Record<ObjectType, string[]>;

/** Everything a user sets on a draft; totals are always computed from it, never accepted. */
export interface DraftContent {
  currency: string;
  invoiceDate: string;
  dueDate: string;
  paymentTerms: PaymentTerms;
  lineItems: LineItemInput[];
  adjustments: AdjustmentInput[];
  paymentMethods: PaymentMethod[];
  allowPartialPayments: boolean;
  buyerComments: string;
  domain: string | null;
  billTo: BillTo | null;
  associations: Associations;
  source: { objectType: ObjectType; objectId: string } | null;
  /**
   * What the copy from the source record could not do faithfully (a tax rate group HubSpot could
   * not resolve, ...). Set by a create from a record or a resync, never by a client; presented
   * while it still applies (see warningsStillApplying in crm-tax.ts).
   */
  warnings: DraftWarning[];
}

/** A stored invoice with its computed amounts. */
export interface Invoice extends DraftContent {
  id: string;
  portalId: number;
  status: InvoiceStatus;
  number: string | null;
  totals: InvoiceTotals;
  lineIds: string[];
  amountPaid: number;
  /**
   * Money received beyond what the invoice owed (two online payments both succeeded, or one
   * arrived after the invoice was settled or voided), kept as flagged credit for the seller.
   */
  creditAmount: number;
  roundingRule: string;
  publicToken: string;
  snapshot: unknown;
  /** When HubSpot last reported a change of the draft's source record (webhook); null once re-synced. */
  sourceChangedAt: Date | null;
  version: number;
  createdAt: Date;
  finalizedAt: Date | null;
  paidAt: Date | null;
  voidedAt: Date | null;
  voidReason: string | null;
}

/** Computes the totals of a draft's content (throws a DomainError naming the bad field). */
export function totalsOf(content: Pick<DraftContent, 'currency' | 'lineItems' | 'adjustments'>): InvoiceTotals {
  return computeTotals({ currency: content.currency, lines: content.lineItems, adjustments: content.adjustments });
}

/** Balance still owed; a void invoice owes nothing. */
export function balanceDue(invoice: Pick<Invoice, 'status' | 'totals' | 'amountPaid'>): number {
  return invoice.status === 'void' ? 0 : invoice.totals.total - invoice.amountPaid;
}

/** Empty association lists for every object type. */
export function noAssociations(): Associations {
  return { contacts: [], companies: [], deals: [], quotes: [] };
}

/**
 * The buyer's page of a finalized invoice: on the invoice's domain when it has one, else on the
 * service's public origin. Drafts have no public page.
 */
export function hostedUrl(invoice: Pick<Invoice, 'domain' | 'publicToken'>, publicBaseUrl: string): string {
  return `${invoice.domain ? `https://${invoice.domain}` : publicBaseUrl}/i/${invoice.publicToken}`;
}
