import { errors, json, paramsOf, type Paths } from '../openapi-parts.js';
import { invoicePageResponse } from '../invoices/response.js';
import { quoteListResponse, recordLineItemsResponse } from './response.js';
import { dealParams, lineItemParams, pageQuery, recordParams } from './schema.js';

/** /api/v1/records: what the CRM record cards show. */
export const recordPaths: Paths = {
  '/api/v1/records/{objectType}/{objectId}/invoices': {
    get: {
      summary: "Invoices associated with a CRM record, newest first, with the caller's permissions (needs view)",
      parameters: [...paramsOf(recordParams, 'path'), ...paramsOf(pageQuery, 'query')],
      responses: { 200: json('A page of invoices', invoicePageResponse), ...errors(400, 401, 403) },
    },
  },
  '/api/v1/records/deals/{dealId}/quotes': {
    get: {
      summary: "A deal's quotes and whether each can become an invoice (published) (needs view)",
      parameters: paramsOf(dealParams, 'path'),
      responses: { 200: json('The quotes', quoteListResponse), ...errors(400, 401, 403, 502) },
    },
  },
  '/api/v1/records/{objectType}/{objectId}/line-items': {
    get: {
      summary: "A deal's or published quote's line items as draft lines, converted exactly as a draft copied from the record converts them (needs view)",
      parameters: paramsOf(lineItemParams, 'path'),
      responses: { 200: json('The lines, unit prices in minor units of `currency`', recordLineItemsResponse), ...errors(400, 401, 403, 404, 422, 502) },
    },
  },
};
