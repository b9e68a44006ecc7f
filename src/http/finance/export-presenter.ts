import type { ExportBatch } from '../../domain/exports/batch.js';

/** A batch in the list (the agreed fields). */
export function presentBatchSummary(b: ExportBatch) {
  return {
    id: b.id,
    format: b.format,
    filters: b.filters,
    invoiceCount: b.invoiceCount,
    checksum: b.checksum,
    createdBy: b.createdBy,
    createdAt: b.createdAt.toISOString(),
    incremental: b.incremental,
  };
}

/** One batch with everything recorded about it. */
export function presentBatch(b: ExportBatch) {
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
