/**
 * The service's JSON as it sends it: the types src/http/wire.ts infers from the response schemas
 * the service's presenters are typed by, so a card cannot read a field the service does not send.
 * Type-only: `npm run hubspot:project` writes them out as plain types into the upload (shared/http/)
 * and rewrites the import path below.
 */
export type {
  AccountingMappings,
  AccountingMappingsUpdate,
  AgingReport,
  ErrorBody,
  ExportBatchSummary,
  ExportLink,
  Invoice,
  InvoiceAdjustment,
  InvoiceBillTo,
  InvoiceDomain,
  InvoiceLine,
  InvoicePage,
  Page,
  PermissionSet,
  Quote,
  RecordLineItems,
  SavedView,
  Settings,
  SettingsUpdate,
  StripeConnection,
  UserGrants,
  UserPermissions,
} from '../../../../../../src/http/wire.js';
