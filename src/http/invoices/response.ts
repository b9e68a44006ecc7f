import { z } from 'zod';
import { OBJECT_TYPES, PAYMENT_METHODS } from '../../domain/invoice.js';
import { INVOICE_STATUSES } from '../../domain/lifecycle.js';
import { PAYMENT_TERMS } from '../../domain/payment-terms.js';
import { calendarDate, minor, named, pageOf, permissionSetResponse, timestamp } from '../response-parts.js';

const discount = z.strictObject({ type: z.enum(['percent', 'amount']), value: z.string() });

/** Something the copy from HubSpot could not do faithfully: a person should look before finalizing. */
export const draftWarningResponse = named(
  'DraftWarning',
  z.strictObject({
    code: z.enum(['tax_rate_unresolved', 'tax_rate_inactive']),
    hubspotLineItemId: z.string(),
    taxRateGroupId: z.string(),
    message: z.string(),
  }),
);

const lineContentFields = {
  name: z.string(),
  description: z.string(),
  sku: z.string().nullable(),
  quantity: z.string().describe('decimal string'),
  unitPrice: minor,
  discount: discount.nullable(),
  taxRate: z.string().describe('percent as a decimal string').nullable(),
  hubspotLineItemId: z.string().nullable(),
  hubspotProductId: z.string().nullable(),
};

/** What a line says, as written (no computed amounts): also the rows of a record's line-items list. */
export const lineContentResponse = named('LineContent', z.strictObject(lineContentFields));

const invoiceLine = z.strictObject({ id: z.string(), ...lineContentFields, amount: minor, discountAmount: minor, taxAmount: minor });

const adjustment = z.strictObject({
  kind: z.enum(['discount', 'fee', 'tax']),
  label: z.string(),
  type: z.enum(['percent', 'amount']),
  value: z.string(),
  amount: minor,
});

/** A postal address; every part optional. */
export const addressResponse = named(
  'Address',
  z.strictObject({
    line1: z.string().optional(),
    line2: z.string().optional(),
    city: z.string().optional(),
    region: z.string().optional(),
    postalCode: z.string().optional(),
    country: z.string().optional(),
  }),
);

const billTo = z.strictObject({
  contactId: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  companyName: z.string().nullable().optional(),
  address: addressResponse.nullable().optional(),
});

const ids = z.array(z.string());

/** The invoice: every field always present, amounts in minor units of `currency`. */
export const invoiceResponse = named(
  'Invoice',
  z.strictObject({
    id: z.uuid(),
    number: z.string().nullable(),
    status: z.enum(INVOICE_STATUSES),
    pastDue: z.boolean(),
    daysPastDue: z.number().int(),
    currency: z.string(),
    invoiceDate: calendarDate,
    dueDate: calendarDate,
    paymentTerms: z.enum(PAYMENT_TERMS),
    lineItems: z.array(invoiceLine),
    adjustments: z.array(adjustment),
    subtotal: minor,
    discountTotal: minor,
    feeTotal: minor,
    taxTotal: minor,
    total: minor,
    amountPaid: minor,
    balanceDue: minor,
    creditAmount: minor.describe('overpaid money kept for the seller to refund or apply (online payments only)'),
    paymentMethods: z.array(z.enum(PAYMENT_METHODS)),
    allowPartialPayments: z.boolean(),
    buyerComments: z.string(),
    domain: z.string().nullable(),
    hostedUrl: z.string().nullable().describe('the public page; null for drafts'),
    billTo: billTo.nullable(),
    associations: z.strictObject({ contacts: ids, companies: ids, deals: ids, quotes: ids }),
    source: z.strictObject({ objectType: z.enum(OBJECT_TYPES), objectId: z.string() }).nullable(),
    sourceChanged: z.boolean().describe('a draft whose source record changed in HubSpot since it was copied'),
    warnings: z
      .array(draftWarningResponse)
      .describe('problems of the copy from HubSpot that still apply, e.g. a line whose tax rate group could not be resolved (copied untaxed)'),
    roundingRule: z.string(),
    version: z.number().int(),
    createdAt: timestamp,
    finalizedAt: timestamp.nullable(),
    paidAt: timestamp.nullable(),
    voidedAt: timestamp.nullable(),
    voidReason: z.string().nullable(),
  }),
);

/** A page of invoices plus the caller's effective permissions (cards hide what is off). */
export const invoicePageResponse = named('InvoicePage', pageOf(invoiceResponse).extend({ permissions: permissionSetResponse }));

/** One audit log entry. */
export const invoiceEventResponse = named(
  'InvoiceEvent',
  z.strictObject({
    id: z.string(),
    type: z.string(),
    actor: z.strictObject({ type: z.string(), id: z.string().nullable() }),
    data: z.record(z.string(), z.unknown()),
    createdAt: timestamp,
  }),
);

/** GET /api/v1/invoices/{id}/events: a page of the log, oldest first. */
export const invoiceEventPageResponse = named('InvoiceEventPage', pageOf(invoiceEventResponse));

/** The invoice as the API shows it. */
export type InvoiceResponse = z.infer<typeof invoiceResponse>;
/** A line's content without computed amounts. */
export type LineContentResponse = z.infer<typeof lineContentResponse>;
/** One audit log entry. */
export type InvoiceEventResponse = z.infer<typeof invoiceEventResponse>;
