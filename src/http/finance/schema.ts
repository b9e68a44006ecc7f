import { z } from 'zod';
import { isoDate } from '../schema-parts.js';

/** POST /api/v1/views: a name and the list filters to save. */
export const createViewBody = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100),
  // Checked field by field by the list schema (same rules, same messages).
  filters: z.record(z.string(), z.unknown()).default({}).describe('the GET /api/v1/invoices parameters except cursor'),
});

/** GET /api/v1/reports/aging: the day to age on (default: today in the portal's time zone). */
export const agingQuery = z.object({ asOf: isoDate.optional() });
