import { z } from 'zod';
import { DATE_FORMATS, EXPORT_FORMATS } from '../../domain/exports/formats.js';
import { isoDate } from '../schema-parts.js';

const STATUSES = ['open', 'paid', 'void'] as const;

/** `true`/`false` in a query string. */
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The filters of an export, shared by the download query and the link body. */
const filters = {
  from: isoDate.optional(),
  to: isoDate.optional(),
  incremental: flag.optional(),
};
const fromNotAfterTo = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;

/**
 * GET /api/v1/exports/{format}. `dateFormat` and `accountCode` override the settings'
 * accountingMappings (dateFormat, defaultAccountCode) for this request only.
 */
export const exportQuery = z
  .object({
    ...filters,
    // One status or a comma-separated list, e.g. `open,paid`.
    status: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(z.enum(STATUSES)).min(1))
      .optional(),
    dateFormat: z.enum(DATE_FORMATS).optional(),
    accountCode: z
      .string()
      .trim()
      .min(1)
      .max(10)
      .regex(/^[A-Za-z0-9.-]+$/)
      .optional(),
  })
  .refine(fromNotAfterTo, { message: 'must not be after to', path: ['from'] });
export type ExportQuery = z.infer<typeof exportQuery>;

/** POST /api/v1/exports/links (JSON: status as a list or a comma-separated string, incremental a boolean). */
export const exportLinkBody = z
  .strictObject({
    format: z.enum(EXPORT_FORMATS),
    from: isoDate.optional(),
    to: isoDate.optional(),
    status: z
      .union([
        z.array(z.enum(STATUSES)).min(1),
        z
          .string()
          .transform((s) => s.split(','))
          .pipe(z.array(z.enum(STATUSES)).min(1)),
      ])
      .optional(),
    incremental: z.boolean().optional(),
  })
  .refine(fromNotAfterTo, { message: 'must not be after to', path: ['from'] });
export type ExportLinkReq = z.infer<typeof exportLinkBody>;

/** GET /api/v1/exports/batches */
export const batchListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});
