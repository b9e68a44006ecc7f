/** A recorded export (what went to which target, when; the file's bytes are kept as chunks). */
export interface ExportBatch {
  id: string;
  format: string;
  filters: Record<string, unknown>;
  incremental: boolean;
  invoiceCount: number;
  voidCount: number;
  paymentCount: number;
  warnings: Array<{ code: string; message: string; invoices: string[] }>;
  checksum: string;
  byteLength: number;
  contentType: string;
  filename: string;
  createdBy: string | null;
  actorKind: string;
  createdAt: Date;
}
