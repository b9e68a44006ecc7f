import { z } from 'zod';
import { isTimeZone } from '../../domain/dates.js';
import { PAYMENT_METHODS } from '../../domain/invoice.js';
import { MAX_INVOICE_NUMBER } from '../../domain/numbering.js';
import { DATE_FORMATS } from '../../domain/exports/date-formats.js';
import { BOM_FORMATS } from '../../domain/exports/mappings.js';
import { PAYMENT_TERMS } from '../../domain/payment-terms.js';
import { address, hostname } from '../schema-parts.js';

/** A Xero account code: what Xero accepts (up to 10 letters, digits, dots or dashes). */
const accountCode = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(10)
  .regex(/^[A-Za-z0-9.-]+$/, 'must be letters, digits, dots or dashes');
/** A name in the accounting package (QuickBooks `Parent:Child` accounts too): one line, no tabs or quotes (IIF cannot carry them). */
const accountName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100)
  .regex(/^[^\t\r\n"]+$/, 'must be one line without tabs or double quotes');

/** `accountingMappings` (docs/finance.md): every field optional; omitted ones keep their value. */
export const accountingMappingsPatch = z.strictObject({
  dateFormat: z.enum(DATE_FORMATS).optional(),
  defaultAccountCode: accountCode.optional(),
  defaultTaxType: accountName.optional(),
  receivableAccount: accountName.optional(),
  incomeAccount: accountName.optional(),
  taxAccount: accountName.optional(),
  bom: z
    .strictObject(Object.fromEntries(BOM_FORMATS.map((f) => [f, z.boolean().optional()])) as Record<(typeof BOM_FORMATS)[number], z.ZodOptional<z.ZodBoolean>>)
    .optional(),
  items: z
    .array(
      z.strictObject({
        sku: z.string().trim().min(1, 'must not be empty').max(100),
        accountCode: accountCode.optional(),
        taxType: accountName.optional(),
        incomeAccount: accountName.optional(),
      }),
    )
    .max(1000)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((item, k) => {
        if (seen.has(item.sku)) ctx.addIssue({ code: 'custom', path: [k, 'sku'], message: `repeats SKU "${item.sku}"` });
        seen.add(item.sku);
      });
    })
    .optional(),
});

/** PUT /api/v1/settings: any subset of the settings; omitted fields keep their value. */
export const updateSettingsBody = z.strictObject({
  numberPrefix: z.string().max(20).optional(),
  nextNumber: z.number().int().min(1).max(MAX_INVOICE_NUMBER).optional(),
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Amsterdam').optional(),
  defaultCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in capitals')
    .optional(),
  defaultPaymentTerms: z.enum(PAYMENT_TERMS).optional(),
  defaultPaymentMethods: z
    .array(z.enum(PAYMENT_METHODS))
    .refine((m) => new Set(m).size === m.length, 'must not repeat a method')
    .optional(),
  allowPartialPayments: z.boolean().optional(),
  brand: z
    .strictObject({
      logoUrl: z
        .url({ protocol: /^https$/, error: 'must be an https URL' })
        .max(2000)
        .nullable()
        .optional(),
      name: z.string().trim().max(200).nullable().optional(),
      address: address.nullable().optional(),
    })
    .optional(),
  domains: z.array(hostname).max(20).optional(),
  defaultDomain: hostname.nullable().optional(),
  accountingMappings: accountingMappingsPatch.optional(),
});
export type UpdateSettingsReq = z.infer<typeof updateSettingsBody>;

/** POST /api/v1/settings/domains: the host name to add (lower-cased). */
export const addDomainBody = z.strictObject({ domain: hostname });

/** `{domain}` of /api/v1/settings/domains/{domain}: a host name like the body's. */
export const domainPathParams = z.strictObject({ domain: hostname });
