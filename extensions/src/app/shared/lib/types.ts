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
  address?: Record<string, string> | null;
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
  /** The CRM record the draft was copied from (resync re-copies it). */
  source?: { objectType: ObjectType; objectId: string } | null;
  /** A draft whose source record changed in HubSpot since it was copied. */
  sourceChanged?: boolean;
  version: number;
}

/** A CRM record whose line items a draft can take lines from. */
export type LineItemSourceType = 'deals' | 'quotes';

/**
 * GET /records/{deals|quotes}/{id}/line-items: the record's line items as draft lines (no `id`,
 * no amounts), `unitPrice` in minor units of `currency`.
 */
export interface RecordLineItems {
  data: Array<Required<Pick<LineItem, 'name' | 'description' | 'sku' | 'quantity' | 'unitPrice' | 'discount' | 'taxRate' | 'hubspotProductId'>> & { hubspotLineItemId: string }>;
  currency: string;
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

/** The seven permission names (docs/api.md, "Permissions"). */
export const PERMISSIONS = ['view', 'edit', 'finalize', 'void', 'record_payment', 'export', 'settings'] as const;
export type Permission = (typeof PERMISSIONS)[number];
export type Permissions = Record<Permission, boolean>;

/** An invoice list: the page plus the caller's effective permissions (absent on older services). */
export interface InvoicePage extends Page<Invoice> {
  permissions?: Permissions;
}

/** GET/PUT /api/v1/users/{userId}/permissions */
export interface UserPermissions {
  userId: string;
  superAdmin: boolean;
  createdAt: string | null;
  defaults: Permissions;
  explicit: Partial<Permissions>;
  effective: Permissions;
}

/** GET /api/v1/users: users with explicit grants. */
export interface UserSummary {
  userId: string;
  explicit: Partial<Permissions>;
  effective: Permissions;
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
  accountingMappings?: AccountingMappings;
  version: number;
}

export const EXPORT_FORMATS = ['xero-csv', 'qbo-csv', 'qbd-iif', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Formats whose file may start with a byte-order mark. */
export type BomFormat = Exclude<ExportFormat, 'json'>;

/** One per-SKU accounting mapping. */
export interface AccountingItem {
  sku: string;
  accountCode?: string;
  taxType?: string;
  incomeAccount?: string;
}

/** settings.accountingMappings (docs/finance.md); every field optional. */
export interface AccountingMappings {
  dateFormat?: 'DD/MM/YYYY' | 'MM/DD/YYYY';
  defaultAccountCode?: string;
  defaultTaxType?: string;
  receivableAccount?: string;
  incomeAccount?: string;
  taxAccount?: string;
  bom?: Partial<Record<BomFormat, boolean>>;
  items?: AccountingItem[];
}

/** GET /api/v1/stripe/connection */
export interface StripeConnection {
  status: 'not_connected' | 'pending' | 'connected';
  accountId: string | null;
  chargesEnabled: boolean;
  connectedAt: string | null;
  available: boolean;
}

/** A user's saved invoice-list view (GET/POST /api/v1/views). */
export interface SavedView {
  id: string;
  name: string;
  filters: Record<string, string | number>;
  createdAt: string;
}

export interface AgingCell {
  count: number;
  balance: number;
}

/** GET /api/v1/reports/aging */
export interface AgingReport {
  asOf: string;
  timeZone: string;
  buckets: string[];
  data: { currency: string; buckets: Record<string, AgingCell>; total: AgingCell }[];
}

/** GET /api/v1/exports/batches */
export interface ExportBatch {
  id: string;
  format: ExportFormat;
  filters: Record<string, unknown>;
  invoiceCount: number;
  checksum: string;
  createdBy: string | null;
  createdAt: string;
  incremental: boolean;
}

/** POST /api/v1/exports/links */
export interface ExportLink {
  url: string;
  expiresAt: string;
}

/** Ways of recording a payment made outside the processor (POST /invoices/{id}/payments). */
export type PaymentRecordMethod = 'bank_transfer' | 'check' | 'cash' | 'card' | 'ach' | 'other';

export type InvoiceView = 'overdue' | 'due_this_month' | 'paid';
