import { errors, idempotencyKey, idParam, json, jsonBody, noContent, paramsOf, type Paths } from '../openapi-parts.js';
import { invoiceEventPageResponse, invoicePageResponse, invoiceResponse } from './response.js';
import { createInvoiceBody, listEventsQuery, listInvoicesQuery, recordPaymentBody, updateInvoiceBody, voidInvoiceBody } from './schema.js';

const invoice = (description: string) => json(description, invoiceResponse);
const byId = [idParam, idempotencyKey];

/** /api/v1/invoices: drafts, the lifecycle (finalize, void, payments, resync) and the audit log. */
export const invoicePaths: Paths = {
  '/api/v1/invoices': {
    get: {
      summary: "List invoices by view and filters (cursor pagination), with the caller's permissions (needs view)",
      parameters: paramsOf(listInvoicesQuery, 'query'),
      responses: { 200: json('A page of invoices', invoicePageResponse), ...errors(400, 401, 403) },
    },
    post: {
      summary: 'Create a draft; a `source` without `lineItems` copies the draft from that CRM record (needs edit)',
      parameters: [idempotencyKey],
      requestBody: jsonBody(createInvoiceBody),
      responses: { 201: invoice('The draft'), ...errors(400, 401, 403, 404, 409, 422, 502) },
    },
  },
  '/api/v1/invoices/{id}': {
    get: { summary: 'One invoice (needs view)', parameters: [idParam], responses: { 200: invoice('The invoice'), ...errors(401, 403, 404) } },
    patch: {
      summary: 'Edit a draft; `version` is the one the client read (needs edit)',
      parameters: byId,
      requestBody: jsonBody(updateInvoiceBody),
      responses: { 200: invoice('The draft as saved'), ...errors(400, 401, 403, 404, 409, 422) },
    },
    delete: { summary: 'Delete a draft (needs edit)', parameters: byId, responses: { 204: noContent('Deleted'), ...errors(401, 403, 404, 409) } },
  },
  '/api/v1/invoices/{id}/finalize': {
    post: {
      summary: 'Finalize: assign the number, snapshot, make immutable (needs finalize)',
      parameters: byId,
      responses: { 200: invoice('The open invoice'), ...errors(401, 403, 404, 409, 422) },
    },
  },
  '/api/v1/invoices/{id}/void': {
    post: {
      summary: 'Void an open invoice without payments (needs void)',
      parameters: byId,
      requestBody: jsonBody(voidInvoiceBody),
      responses: { 200: invoice('The void invoice'), ...errors(400, 401, 403, 404, 409, 422) },
    },
  },
  '/api/v1/invoices/{id}/payments': {
    post: {
      summary: 'Record a payment made outside the processor (needs record_payment)',
      parameters: byId,
      requestBody: jsonBody(recordPaymentBody),
      responses: { 201: invoice('The invoice with the payment applied'), ...errors(400, 401, 403, 404, 409, 422) },
    },
  },
  '/api/v1/invoices/{id}/resync': {
    post: {
      summary: 'Re-copy a draft from its source CRM record (needs edit)',
      parameters: byId,
      responses: { 200: invoice('The draft as re-copied'), ...errors(401, 403, 404, 409, 422, 502) },
    },
  },
  '/api/v1/invoices/{id}/events': {
    get: {
      summary: 'The invoice audit log, oldest first, a page at a time: `limit` (1-200, default 100) and the `nextCursor` of the page before (needs view)',
      parameters: [idParam, ...paramsOf(listEventsQuery, 'query')],
      responses: { 200: json('A page of the log', invoiceEventPageResponse), ...errors(400, 401, 403, 404) },
    },
  },
};
