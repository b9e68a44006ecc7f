import { z } from 'zod';
import { PAYMENT_RECORD_METHODS } from '../../app/record-payment.js';
import { VIEWS } from '../../app/list-invoices.js';
import { SORTS } from '../../domain/invoice-list.js';
import { OBJECT_TYPES, PAYMENT_METHODS } from '../../domain/invoice.js';
import { INVOICE_STATUSES } from '../../domain/lifecycle.js';
import { PAYMENT_TERMS } from '../../domain/payment-terms.js';
import { address, documentDate, hostname, hubspotId, isoDate, minorUnits } from '../schema-parts.js';

// Decimal strings (quantity, percentages) are checked by the money engine, which names the field.
const decimalText = z.string().max(40);

const lineItem = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(500),
  description: z.string().max(5000).optional(),
  sku: z.string().max(100).nullable().optional(),
  quantity: decimalText,
  unitPrice: minorUnits,
  discount: z
    .strictObject({ type: z.enum(['percent', 'amount']), value: decimalText })
    .nullable()
    .optional(),
  taxRate: decimalText.nullable().optional(),
  hubspotLineItemId: hubspotId.nullable().optional(),
  hubspotProductId: hubspotId.nullable().optional(),
});

const adjustment = z.strictObject({
  kind: z.enum(['discount', 'fee', 'tax']),
  label: z.string().max(200).default(''),
  type: z.enum(['percent', 'amount']),
  value: decimalText,
});

const billTo = z.strictObject({
  contactId: hubspotId.nullable().optional(),
  name: z.string().trim().max(200).nullable().optional(),
  email: z.email().max(254).nullable().optional(),
  companyName: z.string().trim().max(200).nullable().optional(),
  address: address.nullable().optional(),
});

const ids = z.array(hubspotId).max(100);

const draftFields = {
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in capitals, e.g. USD')
    .optional(),
  invoiceDate: documentDate.optional(),
  dueDate: documentDate.optional(),
  paymentTerms: z.enum(PAYMENT_TERMS).optional(),
  lineItems: z.array(lineItem).max(1000).optional(),
  adjustments: z.array(adjustment).max(50).optional(),
  paymentMethods: z
    .array(z.enum(PAYMENT_METHODS))
    .max(PAYMENT_METHODS.length)
    .refine((m) => new Set(m).size === m.length, 'must not repeat a method')
    .optional(),
  allowPartialPayments: z.boolean().optional(),
  buyerComments: z.string().max(5000).optional(),
  domain: hostname.nullable().optional(),
  billTo: billTo.nullable().optional(),
  associations: z.strictObject({ contacts: ids.optional(), companies: ids.optional(), deals: ids.optional(), quotes: ids.optional() }).optional(),
  source: z
    .strictObject({ objectType: z.enum(OBJECT_TYPES), objectId: hubspotId })
    .nullable()
    .optional(),
};

/**
 * POST /api/v1/invoices: a full draft body (every field optional; defaults come from settings).
 * `requestId` is the body's own idempotency key, for callers that cannot send headers: the
 * HubSpot cards, whose `hubspot.fetch` sends no custom headers and is retried once by HubSpot
 * after a 5xx (docs/hubspot.md, "Taxes, quotes and associations").
 */
export const createInvoiceBody = z.strictObject({
  ...draftFields,
  requestId: z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 visible ASCII characters')
    .optional()
    .describe('client-generated id of this create; the same id with the same body answers the first result (like Idempotency-Key)'),
});
export type CreateInvoiceReq = z.infer<typeof createInvoiceBody>;

/** PATCH /api/v1/invoices/{id}: draft fields plus the version the client read. */
export const updateInvoiceBody = z.strictObject({ ...draftFields, version: z.number().int().positive() });
export type UpdateInvoiceReq = z.infer<typeof updateInvoiceBody>;

/** POST /api/v1/invoices/{id}/void */
export const voidInvoiceBody = z.strictObject({ reason: z.string().trim().max(500).default('') });

/** POST /api/v1/invoices/{id}/payments */
export const recordPaymentBody = z.strictObject({
  amount: minorUnits.refine((a) => a > 0, 'must be greater than 0'),
  method: z.enum(PAYMENT_RECORD_METHODS),
  receivedOn: isoDate.optional(),
  reference: z.string().max(200).optional(),
});
export type RecordPaymentReq = z.infer<typeof recordPaymentBody>;

/** GET /api/v1/invoices/{id}/events: a page of the log (`cursor` is the `nextCursor` of the page before). */
export const listEventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z.string().max(200).optional(),
});
export type ListEventsReq = z.infer<typeof listEventsQuery>;

/** GET /api/v1/invoices query string. Unknown parameters are ignored (HubSpot's proxy adds its own). */
export const listInvoicesQuery = z
  .object({
    view: z.enum(VIEWS).default('all'),
    status: z.enum(INVOICE_STATUSES).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in capitals')
      .optional(),
    dueFrom: isoDate.optional(),
    dueTo: isoDate.optional(),
    minBalance: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    objectType: z.enum(OBJECT_TYPES).optional(),
    objectId: hubspotId.optional(),
    q: z.string().trim().min(1).max(200).optional(),
    sort: z.enum(SORTS).default('-createdAt'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .refine((q) => (q.objectType === undefined) === (q.objectId === undefined), {
    message: 'objectType and objectId go together',
    path: ['objectId'],
  });
export type ListInvoicesReq = z.infer<typeof listInvoicesQuery>;
