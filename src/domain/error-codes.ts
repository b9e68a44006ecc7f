/**
 * Every `code` the API can put in an error body (`{"error": {"code", "message", "details"}}`).
 * Dependency-free on purpose: the HubSpot cards import it (through their `shared/lib/domain.ts`)
 * so their message table names only codes that exist, and the build copies it into the upload.
 */
export const ERROR_CODES = [
  // 400
  'validation_failed',
  'invalid_oauth_state',
  'oauth_code_rejected',
  // 401
  'unauthenticated',
  'portal_not_installed',
  'hubspot_reauth_required',
  // 403
  'forbidden',
  // 404
  'not_found',
  // 409
  'invoice_not_editable',
  'version_conflict',
  'idempotency_key_reused',
  'idempotency_key_in_use',
  'number_conflict',
  'view_name_taken',
  'stripe_event_not_ready',
  'domain_taken',
  'domain_in_use',
  // 410
  'export_link_used',
  // 413, 415, 429
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'too_many_exports',
  // 422: business rules
  'invoice_not_finalizable',
  'invoice_not_payable',
  'invoice_not_voidable',
  'invoice_has_no_source',
  'payment_exceeds_balance',
  'number_already_used',
  'numbering_exhausted',
  'mixed_currencies',
  'quote_not_published',
  'crm_data_invalid',
  'online_payment_unavailable',
  'stripe_unavailable',
  'stripe_connect_declined',
  'too_many_webhook_endpoints',
  'export_not_reconciled',
  'domain_not_verified',
  'too_many_domains',
  // 5xx
  'internal_error',
  'upstream_error',
  'hubspot_grant_refused',
  'database_unavailable',
  'dns_unavailable',
] as const;

/** One error code of the API. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Whether a string is a code the API uses (for values read from the wire). */
export function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}
