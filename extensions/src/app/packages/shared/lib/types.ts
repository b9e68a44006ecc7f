/**
 * Types the cards use. What the service sends comes from one place, ./wire (the service's
 * response schemas); what is declared here is the cards' own: the draft editor's lines and
 * adjustments as the user edits them, and the request values the cards choose from.
 */
import type { ExportBatchSummary, Invoice, InvoiceBillTo, PermissionSet, Settings } from './wire';

export type {
  AgingReport,
  ExportLink,
  Invoice,
  InvoiceDomain,
  InvoicePage,
  Page,
  Quote,
  RecordLineItems,
  SavedView,
  Settings,
  StripeConnection,
  UserPermissions,
} from './wire';

export type ObjectType = NonNullable<Invoice['source']>['objectType'];
export type InvoiceStatus = Invoice['status'];
export type PaymentTerms = Invoice['paymentTerms'];
export type PaymentMethod = Invoice['paymentMethods'][number];
export type Discount = { type: 'percent' | 'amount'; value: string };

/** A line as the draft editor holds it: an invoice's line, or a new one (no id, no amounts yet). */
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

/** An invoice-level discount, fee or tax as the draft editor holds it (`amount` once computed). */
export interface Adjustment {
  kind: 'discount' | 'fee' | 'tax';
  label: string;
  type: 'percent' | 'amount';
  value: string;
  amount?: number;
}

/** Who the invoice is addressed to. */
export type BillTo = InvoiceBillTo;

/** A CRM record whose line items a draft can take lines from. */
export type LineItemSourceType = Extract<ObjectType, 'deals' | 'quotes'>;

/** The seven permission names, in the service's order. */
export const PERMISSIONS = ['view', 'edit', 'finalize', 'void', 'record_payment', 'export', 'settings'] as const satisfies ReadonlyArray<keyof PermissionSet>;
export type Permission = keyof PermissionSet;
export type Permissions = PermissionSet;

/** GET /api/v1/users: users with explicit grants. */
export type { UserGrants as UserSummary } from './wire';

export type Brand = Settings['brand'];

export const EXPORT_FORMATS = ['xero-csv', 'qbo-csv', 'qbd-iif', 'csv', 'json'] as const satisfies ReadonlyArray<ExportBatchSummary['format']>;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Formats whose file may start with a byte-order mark. */
export type BomFormat = Exclude<ExportFormat, 'json'>;

/** settings.accountingMappings (complete: the service applies the defaults). */
export type { AccountingMappings, AccountingMappingsUpdate } from './wire';
/** One per-SKU accounting mapping. */
export type AccountingItem = Settings['accountingMappings']['items'][number];

/** GET /api/v1/exports/batches */
export type ExportBatch = ExportBatchSummary;

/** Ways of recording a payment made outside the processor (POST /invoices/{id}/payments). */
export type PaymentRecordMethod = 'bank_transfer' | 'check' | 'cash' | 'card' | 'ach' | 'other';

export type InvoiceView = 'overdue' | 'due_this_month' | 'paid';
