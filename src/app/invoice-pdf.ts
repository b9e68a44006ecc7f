import { findInvoiceDocument, insertInvoiceDocument } from '../db/invoice-documents-repo.js';
import { documentOf, documentView } from '../domain/invoice-document.js';
import type { Invoice } from '../domain/invoice.js';
import { renderInvoicePdf, type RenderedPdf } from '../documents/invoice-pdf.js';
import type { Deps } from './deps.js';

/** A rendered invoice PDF checked against the fingerprint stored when it was issued. */
export interface InvoicePdf {
  bytes: Buffer;
  sha256: string;
  /** The issued document's SHA-256 (equal to `sha256` unless the renderer's output changed). */
  issuedSha256: string;
  matchesIssued: boolean;
}

/**
 * Renders a finalized invoice's PDF (pure function of its document and finalization time), with
 * `deps.renderPdf` when given.
 */
export async function renderPdfOf(invoice: Invoice, deps: Partial<Pick<Deps, 'renderPdf'>> = {}): Promise<RenderedPdf> {
  if (!invoice.finalizedAt) throw new Error(`invoice ${invoice.id} is a draft: drafts have no document`);
  return (deps.renderPdf ?? renderInvoicePdf)(documentView(documentOf(invoice)), invoice.finalizedAt);
}

/**
 * Renders the PDF of a finalized invoice and records its SHA-256 as the issued document if none
 * is stored yet (finalize stores it right after its commit; this covers a crash in between).
 * A mismatch with the stored hash means the renderer's output changed since issue (an upgraded
 * font, pdfkit or ICU): it is logged loudly and reported, and the fresh rendering is returned.
 */
export async function issuedInvoicePdf(deps: Pick<Deps, 'db' | 'clock' | 'logger'> & Partial<Pick<Deps, 'renderPdf'>>, invoice: Invoice): Promise<InvoicePdf> {
  const pdf = await renderPdfOf(invoice, deps);
  const stored =
    (await findInvoiceDocument(deps.db, invoice.portalId, invoice.id)) ??
    (await insertInvoiceDocument(deps.db, invoice.portalId, invoice.id, { sha256: pdf.sha256, byteLength: pdf.bytes.length, now: deps.clock() }));
  const matchesIssued = stored.sha256 === pdf.sha256;
  if (!matchesIssued) {
    deps.logger.error(
      { portalId: invoice.portalId, invoiceId: invoice.id, issued: stored.sha256, rendered: pdf.sha256 },
      'invoice PDF no longer matches the issued document',
    );
  }
  return { ...pdf, issuedSha256: stored.sha256, matchesIssued };
}

/**
 * Run by finalize after its commit (`uow.afterCommit`): renders the PDF and stores its
 * fingerprint. Never throws (the invoice is already final; the PDF route stores the fingerprint
 * on first download instead).
 */
export async function recordIssuedPdf(deps: Pick<Deps, 'db' | 'clock'> & Partial<Pick<Deps, 'logger' | 'renderPdf'>>, invoice: Invoice): Promise<void> {
  try {
    const pdf = await renderPdfOf(invoice, deps);
    await insertInvoiceDocument(deps.db, invoice.portalId, invoice.id, { sha256: pdf.sha256, byteLength: pdf.bytes.length, now: deps.clock() });
  } catch (err) {
    deps.logger?.warn({ err, portalId: invoice.portalId, invoiceId: invoice.id }, 'could not record the invoice PDF fingerprint after finalize');
  }
}
