import { z } from 'zod';
import { createInvoiceBody, listInvoicesQuery, recordPaymentBody, updateInvoiceBody, voidInvoiceBody } from './invoices/schema.js';
import { updateSettingsBody } from './settings/schema.js';
import { putPermissionsBody } from './users/schema.js';
import { hubspotWebhookBody } from './webhooks/hubspot.js';
import { createWebhookEndpointBody } from './webhook-endpoints/schema.js';
import { EXPORT_FORMATS } from '../domain/exports/formats.js';
import { exportLinkBody } from './finance/export-schema.js';

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } });
const errorResponse = { description: 'Error: {"error": {"code", "message", "details"}}' };
const invoiceResponse = { description: 'The invoice (shape in api.md)' };
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];
const userIdParam = { name: 'userId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]{1,20}$' } };
const idempotencyKey = { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } };

/** The OpenAPI 3.1 document of the API, built from the same zod schemas that validate requests. */
export function openApiDocument(serverUrl: string) {
  const listQuery = z.toJSONSchema(listInvoicesQuery, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, unknown> };
  return {
    openapi: '3.1.0',
    info: { title: 'HubSpot invoicing API', version: '1' },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/views': {
        get: { summary: "The user's saved invoice-list views", responses: { 200: { description: '{"data": [{"id", "name", "filters", "createdAt"}], "nextCursor": null}' } } },
        post: {
          summary: 'Save a view: {"name", "filters"} (filters: the GET /api/v1/invoices parameters except cursor)',
          responses: { 201: { description: 'the view' }, 400: errorResponse, 409: errorResponse },
        },
      },
      '/api/v1/views/{id}': {
        delete: { summary: "Delete one of the user's views", parameters: idParam, responses: { 204: { description: 'deleted' }, 404: errorResponse } },
      },
      '/api/v1/reports/aging': {
        get: {
          summary: 'Per currency: count and balance of open invoices current, 1-30, 31-60, 61-90, 90+ days past due',
          parameters: [{ name: 'asOf', in: 'query', schema: { type: 'string', format: 'date' } }],
          responses: { 200: { description: '{"asOf", "timeZone", "buckets", "data": [{"currency", "buckets", "total"}]}' }, 400: errorResponse },
        },
      },
      '/api/v1/exports/{format}': {
        get: {
          summary: 'Streamed accounting export (formats: csv, xero-csv, qbo-csv, qbd-iif, json)',
          parameters: [
            { name: 'format', in: 'path', required: true, schema: { type: 'string', enum: [...EXPORT_FORMATS] } },
            { name: 'from', in: 'query', schema: { type: 'string', format: 'date' } },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'date' } },
            { name: 'status', in: 'query', schema: { type: 'string', description: 'open, paid, void; comma-separated' } },
            { name: 'incremental', in: 'query', schema: { type: 'string', enum: ['true', 'false'], description: 'only what this target has not received yet' } },
            { name: 'dateFormat', in: 'query', schema: { type: 'string', enum: ['DD/MM/YYYY', 'MM/DD/YYYY'], description: 'overrides accountingMappings.dateFormat' } },
            { name: 'accountCode', in: 'query', schema: { type: 'string', description: 'overrides accountingMappings.defaultAccountCode' } },
          ],
          responses: {
            200: { description: 'text/csv (csv, xero-csv, qbo-csv), text/plain (qbd-iif, tab-separated), application/json (json); header X-Export-Batch-Id' },
            400: errorResponse, 404: errorResponse, 422: errorResponse,
          },
        },
      },
      '/api/v1/exports/batches': {
        get: {
          summary: 'Recorded export batches, newest first',
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } }, { name: 'cursor', in: 'query', schema: { type: 'string' } }],
          responses: { 200: { description: '{"data": [{"id", "format", "filters", "invoiceCount", "checksum", "createdBy", "createdAt", "incremental"}], "nextCursor"}' }, 400: errorResponse },
        },
      },
      '/api/v1/exports/batches/{id}': {
        get: {
          summary: 'One batch',
          parameters: idParam,
          responses: { 200: { description: 'list fields + actorKind, voidCount, paymentCount, byteLength, contentType, filename, warnings' }, 404: errorResponse },
        },
      },
      '/api/v1/exports/batches/{id}/file': {
        get: { summary: "The batch's file again, byte for byte (same type and disposition)", parameters: idParam, responses: { 200: { description: 'the file' }, 404: errorResponse } },
      },
      '/api/v1/exports/links': {
        post: {
          summary: 'A signed 5-minute download link for a browser tab',
          requestBody: { content: json(exportLinkBody) },
          responses: { 200: { description: '{"url", "expiresAt"}' }, 400: errorResponse },
        },
      },
      '/exports/download/{token}': {
        get: {
          summary: 'Public: streams and records the export a download link names',
          parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'the file; header X-Export-Batch-Id' }, 401: errorResponse },
        },
      },
      '/api/v1/invoices': {
        get: {
          summary: 'List invoices by view and filters (cursor pagination)',
          parameters: Object.entries(listQuery.properties).map(([name, schema]) => ({ name, in: 'query', schema })),
          responses: { 200: { description: '{"data": [...], "nextCursor": null|"..."}' }, 400: errorResponse },
        },
        post: {
          summary: 'Create a draft',
          parameters: [idempotencyKey],
          requestBody: { content: json(createInvoiceBody) },
          responses: { 201: invoiceResponse, 400: errorResponse, 409: errorResponse },
        },
      },
      '/api/v1/invoices/{id}': {
        get: { summary: 'One invoice', parameters: idParam, responses: { 200: invoiceResponse, 404: errorResponse } },
        patch: {
          summary: 'Edit a draft (optimistic version)',
          parameters: [...idParam, idempotencyKey],
          requestBody: { content: json(updateInvoiceBody) },
          responses: { 200: invoiceResponse, 409: errorResponse },
        },
        delete: { summary: 'Delete a draft', parameters: [...idParam, idempotencyKey], responses: { 204: { description: 'Deleted' }, 409: errorResponse } },
      },
      '/api/v1/invoices/{id}/finalize': {
        post: { summary: 'Finalize: assign the number, snapshot, make immutable', parameters: [...idParam, idempotencyKey], responses: { 200: invoiceResponse, 422: errorResponse } },
      },
      '/api/v1/invoices/{id}/void': {
        post: { summary: 'Void an open invoice without payments', parameters: [...idParam, idempotencyKey], requestBody: { content: json(voidInvoiceBody) }, responses: { 200: invoiceResponse, 422: errorResponse } },
      },
      '/api/v1/invoices/{id}/payments': {
        post: { summary: 'Record a payment made outside the processor', parameters: [...idParam, idempotencyKey], requestBody: { content: json(recordPaymentBody) }, responses: { 201: invoiceResponse, 422: errorResponse } },
      },
      '/api/v1/invoices/{id}/resync': {
        post: { summary: 'Re-copy a draft from its source CRM record', parameters: [...idParam, idempotencyKey], responses: { 200: invoiceResponse, 409: errorResponse, 422: errorResponse } },
      },
      '/api/v1/records/{objectType}/{objectId}/invoices': {
        get: {
          summary: 'Invoices associated with a CRM record',
          parameters: [
            { name: 'objectType', in: 'path', required: true, schema: { enum: ['contacts', 'companies', 'deals', 'quotes'] } },
            { name: 'objectId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
          ],
          responses: { 200: { description: '{"data": [...], "nextCursor": null|"..."}' } },
        },
      },
      '/api/v1/records/deals/{dealId}/quotes': {
        get: {
          summary: "A deal's quotes and whether each can become an invoice (published)",
          parameters: [{ name: 'dealId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } }],
          responses: { 200: { description: '{"data": [{"id", "title", "status", "currency", "convertible"}]}' }, 502: errorResponse },
        },
      },
      '/api/v1/records/{objectType}/{objectId}/line-items': {
        get: {
          summary: "A deal's or published quote's line items as draft lines, converted exactly as a draft copied from the record converts them (needs view)",
          parameters: [
            { name: 'objectType', in: 'path', required: true, schema: { enum: ['deals', 'quotes'] } },
            { name: 'objectId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
          ],
          responses: {
            200: {
              description:
                '{"data": [{"hubspotLineItemId", "hubspotProductId": string|null, "name", "description", "sku": string|null, "quantity": decimal string, ' +
                '"unitPrice": minor units, "discount": {"type": "percent"|"amount", "value"}|null, "taxRate": decimal string|null}], "currency": "USD"}',
            },
            400: errorResponse,
            403: errorResponse,
            404: errorResponse,
            422: errorResponse,
            502: errorResponse,
          },
        },
      },
      '/oauth/install': { get: { summary: "302 to HubSpot's consent page with a signed, single-use state", security: [], responses: { 302: { description: 'Redirect' } } } },
      '/oauth/callback': { get: { summary: 'Completes the install', security: [], responses: { 200: { description: 'Installed page' }, 400: errorResponse } } },
      '/api/v1/invoices/{id}/events': {
        get: { summary: 'The invoice audit log', parameters: idParam, responses: { 200: { description: '{"data": [...]}' } } },
      },
      '/api/v1/settings': {
        get: { summary: 'Portal settings', responses: { 200: { description: 'Settings' } } },
        put: { summary: 'Update settings', parameters: [idempotencyKey], requestBody: { content: json(updateSettingsBody) }, responses: { 200: { description: 'Settings' }, 422: errorResponse } },
      },
      '/webhooks/hubspot': {
        post: {
          summary: 'HubSpot webhook events, signed v3 (or v1/v2 per X-HubSpot-Signature-Version); each event is applied once',
          security: [],
          requestBody: { content: json(hubspotWebhookBody) },
          responses: { 200: { description: '{"received", "applied", "duplicate", "ignored"}' }, 400: errorResponse, 401: errorResponse, 500: errorResponse },
        },
      },
      '/api/v1/webhook-endpoints': {
        get: { summary: "The portal's webhook endpoints (needs settings)", responses: { 200: { description: '{"data": [{"id", "url", "events", "createdAt"}], "nextCursor": null}' }, 403: errorResponse } },
        post: {
          summary:
            'Register an endpoint for invoice.finalized, invoice.paid, invoice.partially_paid, invoice.voided, invoice.overdue (default all). ' +
            'https only (plain http to loopback only when WEBHOOK_ALLOW_LOOPBACK). Deliveries are POSTs of {"id", "type", "occurredAt", "portalId", "data": {"invoice"}} ' +
            'with headers Invoicing-Event-Id and Invoicing-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>',
          parameters: [idempotencyKey],
          requestBody: { content: json(createWebhookEndpointBody) },
          responses: {
            201: { description: '{"id", "url", "events", "secret", "createdAt"}: the secret (whsec_...) is shown only here (null in an Idempotency-Key replay)' },
            400: errorResponse,
            403: errorResponse,
            422: errorResponse,
          },
        },
      },
      '/api/v1/webhook-endpoints/{id}': {
        delete: { summary: 'Delete an endpoint and its pending deliveries', parameters: [...idParam, idempotencyKey], responses: { 204: { description: 'Deleted' }, 404: errorResponse } },
      },
      '/api/v1/webhook-endpoints/{id}/deliveries': {
        get: {
          summary: "An endpoint's deliveries, newest first, each with its attempt log",
          parameters: [...idParam, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } }, { name: 'cursor', in: 'query', schema: { type: 'string' } }],
          responses: {
            200: {
              description:
                '{"data": [{"eventId", "eventType", "invoiceId", "state": "pending|delivered|failed", "attempts", "nextAttemptAt", "lastStatus", "lastError", "deliveredAt", "createdAt", ' +
                '"attemptLog": [{"attempt", "attemptedAt", "durationMs", "status", "error", "outcome": "delivered|retrying|failed"}]}], "nextCursor"}',
            },
            404: errorResponse,
          },
        },
      },
      '/api/v1/users': {
        get: {
          summary: 'Users with explicit permission grants (needs settings)',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
            { name: 'cursor', in: 'query', schema: { type: 'string', pattern: '^[0-9]+$' } },
          ],
          responses: { 200: { description: '{"data": [{"userId", "explicit", "effective"}], "nextCursor": string|null}' }, 400: errorResponse, 403: errorResponse },
        },
      },
      '/api/v1/users/{userId}/permissions': {
        get: {
          summary: "A user's invoice permissions: HubSpot facts, defaults, explicit grants, effective (needs settings, except for one's own)",
          parameters: [userIdParam],
          responses: {
            200: { description: '{"userId", "superAdmin", "createdAt": iso|null, "defaults": {7 booleans}, "explicit": {permission: boolean}, "effective": {7 booleans}}' },
            400: errorResponse,
            403: errorResponse,
            404: errorResponse,
            502: errorResponse,
          },
        },
        put: {
          summary: "Replace a user's explicit grants; permissions left out follow the defaults (needs settings)",
          parameters: [userIdParam],
          requestBody: { content: json(putPermissionsBody) },
          responses: { 200: { description: 'Same shape as GET' }, 400: errorResponse, 403: errorResponse, 404: errorResponse, 502: errorResponse },
        },
      },
      '/api/v1/stripe/connect': {
        post: {
          summary: "Start connecting the portal's Stripe account (Connect OAuth, Standard): {\"url\"} of Stripe's page, with a signed single-use state. Needs settings",
          responses: { 200: { description: '{"url": "https://connect.stripe.com/oauth/authorize?..."}' }, 403: errorResponse, 422: errorResponse },
        },
      },
      '/api/v1/stripe/connection': {
        get: {
          summary: 'The portal\'s Stripe connection. Needs settings',
          responses: { 200: { description: '{"status": "not_connected"|"pending"|"connected", "accountId", "chargesEnabled", "connectedAt", "available"}' }, 403: errorResponse },
        },
        delete: { summary: 'Disconnect (deauthorizes the platform at Stripe). Needs settings', responses: { 204: { description: 'Disconnected' }, 403: errorResponse } },
      },
      '/stripe/oauth/callback': {
        get: { summary: "Stripe's redirect after connecting (code or error, and the state)", security: [], responses: { 200: { description: 'Connected page' }, 400: { description: 'Page saying why not' } } },
      },
      '/i/{token}/pay': {
        post: {
          summary: 'Buyer pays online: 303 to a Stripe Checkout Session for the balance, or the form field amount (major units, e.g. "150.00") when partial payments are allowed',
          security: [],
          parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { amount: { type: 'string' } } } } } },
          responses: { 303: { description: 'Redirect to Stripe Checkout' }, 400: { description: 'HTML page: bad amount' }, 404: { description: 'HTML page' }, 409: { description: 'HTML page: not payable online' } },
        },
      },
      '/i/{token}/paid': {
        get: {
          summary: "Where Stripe Checkout returns the buyer: payment received, ACH pending, being confirmed, or failed",
          security: [],
          parameters: [
            { name: 'token', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'session_id', in: 'query', required: true, schema: { type: 'string' } },
          ],
          responses: { 200: { description: 'HTML page' }, 404: { description: 'HTML page' } },
        },
      },
      '/webhooks/stripe': {
        post: {
          summary: 'Stripe Connect webhook events (Stripe-Signature over the raw body); each event is applied once',
          security: [],
          responses: { 200: { description: '{"received": true, "outcome": "applied"|"duplicate"|"ignored"}' }, 400: errorResponse, 409: errorResponse, 500: errorResponse, 503: errorResponse },
        },
      },
      '/i/{token}': {
        get: {
          summary:
            "The buyer's hosted invoice page (HTML, no script). Answers only on the invoice's domain, one of the portal's domains or this service's origin; drafts, unknown tokens and other hosts get the same 404 page. Rate limited per client IP (429 with Retry-After).",
          security: [],
          parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{32}$' } }],
          responses: { 200: { description: 'text/html' }, 404: { description: 'text/html' }, 429: { description: 'Too many requests' } },
        },
      },
      '/i/{token}/invoice.pdf': {
        get: {
          summary:
            'The issued PDF (deterministic: the same invoice gives the same bytes). X-Document-SHA256 is the SHA-256 stored when it was issued; X-Document-Verified says whether these bytes match it.',
          security: [],
          parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{32}$' } }],
          responses: { 200: { description: 'application/pdf' }, 404: { description: 'text/html' }, 429: { description: 'Too many requests' } },
        },
      },
      '/healthz': { get: { summary: 'Liveness', security: [], responses: { 200: { description: 'ok' } } } },
      '/readyz': { get: { summary: 'Readiness', security: [], responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } } } },
    },
  };
}
