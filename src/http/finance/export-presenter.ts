import type { ExportBatch } from '../../domain/exports/batch.js';
import type { ExportFormat } from '../../domain/exports/formats.js';
import type { ExportBatchResponse, ExportBatchSummaryResponse } from './response.js';

/** A batch in the list (the agreed fields). */
export function presentBatchSummary(b: ExportBatch): ExportBatchSummaryResponse {
  return {
    id: b.id,
    // The repository reads the column as text; the table's check allows only EXPORT_FORMATS.
    format: b.format as ExportFormat,
    filters: b.filters,
    invoiceCount: b.invoiceCount,
    checksum: b.checksum,
    createdBy: b.createdBy,
    createdAt: b.createdAt.toISOString(),
    incremental: b.incremental,
  };
}

/** One batch with everything recorded about it. */
export function presentBatch(b: ExportBatch): ExportBatchResponse {
  return {
    ...presentBatchSummary(b),
    actorKind: b.actorKind,
    voidCount: b.voidCount,
    paymentCount: b.paymentCount,
    byteLength: b.byteLength,
    contentType: b.contentType,
    filename: b.filename,
    warnings: b.warnings,
  };
}
