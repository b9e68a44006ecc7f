import { z } from 'zod';
import { DOCUMENT_YEARS, isDocumentDate, isIsoDate } from '../domain/dates.js';

/** Shared zod pieces for request bodies and queries. */
export const isoDate = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD');

/** An invoice's own dates (invoice date, due date): a real date within the years the service handles. */
export const documentDate = z
  .string()
  .refine(isIsoDate, 'must be a date written YYYY-MM-DD')
  .refine(isDocumentDate, `must be a date between ${DOCUMENT_YEARS.first}-01-01 and ${DOCUMENT_YEARS.last}-12-31`);

/** Money in minor units: a non-negative safe integer (no fractions, no floats, no strings). */
export const minorUnits = z.number().int('must be an integer number of minor units').min(0).max(Number.MAX_SAFE_INTEGER);

/** A HubSpot object id: digits only. */
export const hubspotId = z.string().regex(/^[0-9]{1,20}$/, 'must be a HubSpot id (digits)');

/** A host name such as billing.example.com (no scheme, no path). */
export const hostname = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'must be a host name such as billing.example.com')
  .transform((h) => h.toLowerCase());

export const address = z.strictObject({
  line1: z.string().max(200).optional(),
  line2: z.string().max(200).optional(),
  city: z.string().max(100).optional(),
  region: z.string().max(100).optional(),
  postalCode: z.string().max(20).optional(),
  country: z.string().max(100).optional(),
});
