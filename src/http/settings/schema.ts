import { z } from 'zod';
import { isTimeZone } from '../../domain/dates.js';
import { PAYMENT_METHODS } from '../../domain/invoice.js';
import { MAX_INVOICE_NUMBER } from '../../domain/numbering.js';
import { PAYMENT_TERMS } from '../../domain/payment-terms.js';
import { address, hostname } from '../schema-parts.js';

/** PUT /api/v1/settings: any subset of the settings; omitted fields keep their value. */
export const updateSettingsBody = z.strictObject({
  numberPrefix: z.string().max(20).optional(),
  nextNumber: z.number().int().min(1).max(MAX_INVOICE_NUMBER).optional(),
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Amsterdam').optional(),
  defaultCurrency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in capitals').optional(),
  defaultPaymentTerms: z.enum(PAYMENT_TERMS).optional(),
  defaultPaymentMethods: z
    .array(z.enum(PAYMENT_METHODS))
    .refine((m) => new Set(m).size === m.length, 'must not repeat a method')
    .optional(),
  allowPartialPayments: z.boolean().optional(),
  brand: z
    .strictObject({
      logoUrl: z.url({ protocol: /^https$/, error: 'must be an https URL' }).max(2000).nullable().optional(),
      name: z.string().trim().max(200).nullable().optional(),
      address: address.nullable().optional(),
    })
    .optional(),
  domains: z.array(hostname).max(20).optional(),
  defaultDomain: hostname.nullable().optional(),
  accountingMappings: z.record(z.string().max(100), z.unknown()).optional(),
});
export type UpdateSettingsReq = z.infer<typeof updateSettingsBody>;
