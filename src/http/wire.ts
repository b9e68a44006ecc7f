/**
 * The API's wire types: what the service sends, inferred from the response schemas the presenters
 * are typed by. The HubSpot cards import these (type-only, through
 * extensions/src/app/shared/lib/wire.ts) instead of re-declaring the shapes; `npm run
 * hubspot:project` writes them out as plain types into the upload, which has no zod.
 */
import type { z } from 'zod';
import type { agingReportResponse, exportBatchSummaryResponse, exportLinkResponse, savedViewResponse } from './finance/response.js';
import type { invoiceEventResponse, invoicePageResponse, invoiceResponse, lineContentResponse } from './invoices/response.js';
import type { quoteResponse, recordLineItemsResponse } from './records/response.js';
import type { errorResponse, permissionSetResponse } from './response-parts.js';
import type { domainResponse, settingsResponse } from './settings/response.js';
import type { updateSettingsBody } from './settings/schema.js';
import type { stripeConnectionResponse } from './stripe/response.js';
import type { userGrantsResponse, userPermissionsResponse } from './users/response.js';
import type { webhookDeliveryResponse, webhookEndpointResponse } from './webhook-endpoints/response.js';

/** An invoice (GET /api/v1/invoices/{id} and every invoice-changing route). */
export type Invoice = z.infer<typeof invoiceResponse>;
/** One line of an invoice, with its computed amounts. */
export type InvoiceLine = Invoice['lineItems'][number];
/** An invoice-level discount, fee or tax, with its computed amount. */
export type InvoiceAdjustment = Invoice['adjustments'][number];
/** Who the invoice is addressed to. */
export type InvoiceBillTo = NonNullable<Invoice['billTo']>;
/** A page of invoices with the caller's permissions (GET /api/v1/invoices, /records/.../invoices). */
export type InvoicePage = z.infer<typeof invoicePageResponse>;
/** One audit log entry. */
export type InvoiceEvent = z.infer<typeof invoiceEventResponse>;
/** A line as written, without amounts (a CRM record's line items). */
export type LineContent = z.infer<typeof lineContentResponse>;
/** GET /api/v1/records/{deals|quotes}/{id}/line-items */
export type RecordLineItems = z.infer<typeof recordLineItemsResponse>;
/** A deal's quote. */
export type Quote = z.infer<typeof quoteResponse>;
/** The 7 permissions, each true or false. */
export type PermissionSet = z.infer<typeof permissionSetResponse>;
/** GET /api/v1/settings */
export type Settings = z.infer<typeof settingsResponse>;
/** One invoice domain with its state and DNS record (GET/POST /api/v1/settings/domains). */
export type InvoiceDomain = z.infer<typeof domainResponse>;
/** settings.accountingMappings */
export type AccountingMappings = Settings['accountingMappings'];
/** PUT /api/v1/settings: what a client may send (every field optional). */
export type SettingsUpdate = z.input<typeof updateSettingsBody>;
/** settings.accountingMappings in a PUT: omitted fields keep their value. */
export type AccountingMappingsUpdate = NonNullable<SettingsUpdate['accountingMappings']>;
/** GET/PUT /api/v1/users/{userId}/permissions */
export type UserPermissions = z.infer<typeof userPermissionsResponse>;
/** One row of GET /api/v1/users */
export type UserGrants = z.infer<typeof userGrantsResponse>;
/** GET /api/v1/stripe/connection */
export type StripeConnection = z.infer<typeof stripeConnectionResponse>;
/** A saved invoice-list view. */
export type SavedView = z.infer<typeof savedViewResponse>;
/** GET /api/v1/reports/aging */
export type AgingReport = z.infer<typeof agingReportResponse>;
/** A batch in GET /api/v1/exports/batches */
export type ExportBatchSummary = z.infer<typeof exportBatchSummaryResponse>;
/** POST /api/v1/exports/links */
export type ExportLink = z.infer<typeof exportLinkResponse>;
/** A webhook endpoint. */
export type WebhookEndpoint = z.infer<typeof webhookEndpointResponse>;
/** One delivery of an event to an endpoint. */
export type WebhookDelivery = z.infer<typeof webhookDeliveryResponse>;
/** Every error answer. */
export type ErrorBody = z.infer<typeof errorResponse>;

/** A page of a list. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
