import { z } from 'zod';
import { AGING_BUCKETS } from '../../domain/aging.js';
import { EXPORT_FORMATS } from '../../domain/exports/formats.js';
import { calendarDate, named, pageOf, timestamp, wholeListOf } from '../response-parts.js';

/** A batch in the list. */
export const exportBatchSummaryResponse = named(
  'ExportBatchSummary',
  z.strictObject({
    id: z.uuid(),
    format: z.enum(EXPORT_FORMATS),
    filters: z.record(z.string(), z.unknown()),
    invoiceCount: z.number().int(),
    checksum: z.string(),
    createdBy: z.string().nullable(),
    createdAt: timestamp,
    incremental: z.boolean(),
  }),
);

/** One batch with everything recorded about it. */
export const exportBatchResponse = named(
  'ExportBatch',
  exportBatchSummaryResponse.extend({
    actorKind: z.string(),
    voidCount: z.number().int(),
    paymentCount: z.number().int(),
    byteLength: z.number().int(),
    contentType: z.string(),
    filename: z.string(),
    warnings: z.array(z.strictObject({ code: z.string(), message: z.string(), invoices: z.array(z.string()) })),
  }),
);

/** GET /api/v1/exports/batches */
export const exportBatchPageResponse = named('ExportBatchPage', pageOf(exportBatchSummaryResponse));

/** POST /api/v1/exports/links: a signed 5-minute download link. */
export const exportLinkResponse = named('ExportLink', z.strictObject({ url: z.url(), expiresAt: timestamp }));

/** A saved invoice-list view: the list filters it applies. */
export const savedViewResponse = named(
  'SavedView',
  z.strictObject({ id: z.uuid(), name: z.string(), filters: z.record(z.string(), z.union([z.string(), z.number()])), createdAt: timestamp }),
);

/** GET /api/v1/views */
export const savedViewListResponse = named('SavedViewList', wholeListOf(savedViewResponse));

const agingCell = z.strictObject({ count: z.number().int(), balance: z.number().int() });
const agingBuckets = z.strictObject(
  Object.fromEntries(AGING_BUCKETS.map((b) => [b.key, agingCell])) as Record<(typeof AGING_BUCKETS)[number]['key'], typeof agingCell>,
);

/** GET /api/v1/reports/aging: per currency, count and balance of open invoices by days past due. */
export const agingReportResponse = named(
  'AgingReport',
  z.strictObject({
    asOf: calendarDate,
    timeZone: z.string(),
    buckets: z.array(z.enum(AGING_BUCKETS.map((b) => b.key) as [(typeof AGING_BUCKETS)[number]['key'], ...(typeof AGING_BUCKETS)[number]['key'][]])),
    data: z.array(z.strictObject({ currency: z.string(), buckets: agingBuckets, total: agingCell })),
  }),
);

/** A batch in the list, as the API shows it. */
export type ExportBatchSummaryResponse = z.infer<typeof exportBatchSummaryResponse>;
/** One batch, as the API shows it. */
export type ExportBatchResponse = z.infer<typeof exportBatchResponse>;
/** The aging report, as the API shows it. */
export type AgingReportResponse = z.infer<typeof agingReportResponse>;
/** A saved view, as the API shows it. */
export type SavedViewResponse = z.infer<typeof savedViewResponse>;
