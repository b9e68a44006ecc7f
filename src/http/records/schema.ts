import { z } from 'zod';
import { LINE_ITEM_SOURCES } from '../../app/list-record-line-items.js';
import { OBJECT_TYPES } from '../../domain/invoice.js';
import { hubspotId } from '../schema-parts.js';

/** `/records/{objectType}/{objectId}/invoices` */
export const recordParams = z.object({ objectType: z.enum(OBJECT_TYPES), objectId: hubspotId });

/** `/records/{deals|quotes}/{objectId}/line-items`: only deals and quotes have line items. */
export const lineItemParams = z.object({
  objectType: z.enum(LINE_ITEM_SOURCES, { error: 'must be deals or quotes: only they have line items' }),
  objectId: hubspotId,
});

/** `/records/deals/{dealId}/quotes` */
export const dealParams = z.object({ dealId: hubspotId });

/** A record's invoices, a page at a time. */
export const pageQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(500).optional() });
