import { z } from 'zod';
import { DATE_FORMATS } from '../../domain/exports/date-formats.js';
import { BOM_FORMATS } from '../../domain/exports/mappings.js';
import { PAYMENT_METHODS } from '../../domain/invoice.js';
import { PAYMENT_TERMS } from '../../domain/payment-terms.js';
import { addressResponse } from '../invoices/response.js';
import { named, timestamp } from '../response-parts.js';

const accountingMappings = z.strictObject({
  dateFormat: z.enum(DATE_FORMATS),
  defaultAccountCode: z.string(),
  defaultTaxType: z.string(),
  receivableAccount: z.string(),
  incomeAccount: z.string(),
  taxAccount: z.string(),
  bom: z.strictObject(Object.fromEntries(BOM_FORMATS.map((f) => [f, z.boolean()])) as Record<(typeof BOM_FORMATS)[number], z.ZodBoolean>),
  items: z.array(z.strictObject({ sku: z.string(), accountCode: z.string().optional(), taxType: z.string().optional(), incomeAccount: z.string().optional() })),
});

/** GET/PUT /api/v1/settings: the portal's settings with a preview of the next invoice number. */
export const settingsResponse = named(
  'Settings',
  z.strictObject({
    numberPrefix: z.string(),
    nextNumber: z.number().int(),
    nextInvoiceNumber: z.string().nullable().describe('null once every number of the prefix is used'),
    timeZone: z.string(),
    defaultCurrency: z.string(),
    defaultPaymentTerms: z.enum(PAYMENT_TERMS),
    defaultPaymentMethods: z.array(z.enum(PAYMENT_METHODS)),
    allowPartialPayments: z.boolean(),
    brand: z.strictObject({
      logoUrl: z.string().nullable().optional(),
      name: z.string().nullable().optional(),
      address: addressResponse.nullable().optional(),
    }),
    domains: z.array(z.string()),
    defaultDomain: z.string().nullable(),
    accountingMappings,
    version: z.number().int(),
    updatedAt: timestamp,
  }),
);

/** The settings as the API shows them. */
export type SettingsResponse = z.infer<typeof settingsResponse>;
/** settings.accountingMappings (complete: defaults applied). */
export type AccountingMappingsResponse = SettingsResponse['accountingMappings'];

/** One invoice domain with the DNS record that proves it. */
export const domainResponse = named(
  'InvoiceDomain',
  z.strictObject({
    domain: z.string(),
    status: z.enum(['pending', 'verified']).describe('pending until the TXT record is verified; only verified domains serve invoices'),
    dnsRecord: z
      .strictObject({
        type: z.literal('TXT'),
        name: z.string().describe('_invoicing-challenge.<domain>'),
        value: z.string().describe('the challenge token'),
      })
      .describe("the record to create at the domain's DNS provider, then verify"),
    createdAt: timestamp,
    verifiedAt: timestamp.nullable(),
  }),
);

/** GET /api/v1/settings/domains. */
export const domainListResponse = z.strictObject({ data: z.array(domainResponse) });

/** An invoice domain as the API shows it. */
export type DomainResponse = z.infer<typeof domainResponse>;
