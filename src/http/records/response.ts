import { z } from 'zod';
import { draftWarningResponse, lineContentResponse } from '../invoices/response.js';
import { named, wholeListOf } from '../response-parts.js';

/** GET /api/v1/records/{deals|quotes}/{id}/line-items: the record's lines as draft lines. */
export const recordLineItemsResponse = named(
  'RecordLineItems',
  z.strictObject({ data: z.array(lineContentResponse), currency: z.string(), warnings: z.array(draftWarningResponse) }),
);

/** A deal's quote and whether it can become an invoice (published). */
export const quoteResponse = named(
  'Quote',
  z.strictObject({ id: z.string(), title: z.string().nullable(), status: z.string().nullable(), currency: z.string().nullable(), convertible: z.boolean() }),
);

/** GET /api/v1/records/deals/{dealId}/quotes */
export const quoteListResponse = named('QuoteList', wholeListOf(quoteResponse));

/** A deal's quotes as the API shows them. */
export type QuoteListResponse = z.infer<typeof quoteListResponse>;
/** A record's line items as the API shows them. */
export type RecordLineItemsResponse = z.infer<typeof recordLineItemsResponse>;
