/**
 * The service's JSON as the cards read it (see src/http/invoices/presenter.ts and
 * src/http/settings/presenter.ts). Only the fields the cards use are typed.
 */

export type ObjectType = 'contacts' | 'companies' | 'deals' | 'quotes';
export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void';
export type PaymentTerms = 'due_on_receipt' | 'net_15' | 'net_30' | 'net_45' | 'net_60' | 'custom';
export type PaymentMethod = 'card' | 'ach';
export type Discount = { type: 'percent' | 'amount'; value: string };

export interface LineItem {
  id?: string;
  name: string;
  description?: string;
  sku?: string | null;
  quantity: string;
  unitPrice: number;
  discount?: Discount | null;
  taxRate?: string | null;
  amount?: number;
  hubspotLineItemId?: string | null;
  hubspotProductId?: string | null;
}

export interface Adjustment {
  kind: 'discount' | 'fee' | 'tax';
  label: string;
  type: 'percent' | 'amount';
  value: string;
  amount?: number;
}

export interface BillTo {
  contactId?: string | null;
  name?: string | null;
  email?: string | null;
  companyName?: string | null;
}

export interface Invoice {
  id: string;
  number: string | null;
  status: InvoiceStatus;
  pastDue: boolean;
  daysPastDue: number;
  currency: string;
  invoiceDate: string | null;
  dueDate: string | null;
  paymentTerms: PaymentTerms;
  lineItems: LineItem[];
  adjustments: Adjustment[];
  subtotal: number;
  discountTotal: number;
  feeTotal: number;
  taxTotal: number;
  total: number;
  amountPaid: number;
  balanceDue: number;
  paymentMethods: PaymentMethod[];
  allowPartialPayments: boolean;
  buyerComments: string;
  domain: string | null;
  hostedUrl: string | null;
  billTo: BillTo | null;
  version: number;
}

export interface Quote {
  id: string;
  title: string;
  status: string;
  currency: string;
  convertible: boolean;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Brand {
  logoUrl?: string | null;
  name?: string | null;
  address?: Record<string, string> | null;
}

export interface Settings {
  numberPrefix: string;
  nextNumber: number;
  nextInvoiceNumber: string | null;
  timeZone: string;
  defaultCurrency: string;
  defaultPaymentTerms: PaymentTerms;
  defaultPaymentMethods: PaymentMethod[];
  allowPartialPayments: boolean;
  brand: Brand;
  domains: string[];
  defaultDomain: string | null;
  version: number;
}

/** Ways of recording a payment made outside the processor (POST /invoices/{id}/payments). */
export type PaymentRecordMethod = 'bank_transfer' | 'check' | 'cash' | 'card' | 'ach' | 'other';

export type InvoiceView = 'overdue' | 'due_this_month' | 'paid';
