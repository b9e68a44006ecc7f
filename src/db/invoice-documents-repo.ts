import type { Db } from './invoices-repo.js';

/** The stored fingerprint of an invoice's issued PDF. */
export interface StoredDocument {
  sha256: string;
  byteLength: number;
  createdAt: Date;
}

/** The fingerprint of an invoice's PDF, or null when none was stored yet. */
export async function findInvoiceDocument(db: Db, portalId: number, invoiceId: string): Promise<StoredDocument | null> {
  const row = (await db('invoice_documents').where({ portal_id: portalId, invoice_id: invoiceId }).first()) as
    { sha256: string; byte_length: number; created_at: Date } | undefined;
  return row ? { sha256: row.sha256, byteLength: row.byte_length, createdAt: row.created_at } : null;
}

/**
 * Stores the fingerprint unless one exists (the table is insert-only: the first one stored is the
 * issued document), then returns whichever is stored.
 */
export async function insertInvoiceDocument(
  db: Db,
  portalId: number,
  invoiceId: string,
  doc: { sha256: string; byteLength: number; now: Date },
): Promise<StoredDocument> {
  await db('invoice_documents')
    .insert({ portal_id: portalId, invoice_id: invoiceId, sha256: doc.sha256, byte_length: doc.byteLength, created_at: doc.now })
    .onConflict(['portal_id', 'invoice_id'])
    .ignore();
  return (await findInvoiceDocument(db, portalId, invoiceId))!;
}
