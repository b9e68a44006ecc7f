import type { Request, Response } from 'express';
import { getHostedInvoice } from '../../app/get-hosted-invoice.js';
import type { Deps } from '../../app/deps.js';
import { issuedInvoicePdf } from '../../app/invoice-pdf.js';
import { setPrivateHeaders } from './headers.js';

/** GET /i/:token/invoice.pdf — the issued PDF, re-rendered and checked against its stored SHA-256. */
export function pdfHandler(deps: Deps) {
  return async (req: Request<{ token: string }>, res: Response) => {
    const { invoice } = await getHostedInvoice(deps, req.params.token, req.hostname);
    const pdf = await issuedInvoicePdf(deps, invoice);
    setPrivateHeaders(res);
    // Numbers are prefix-digits, but keep the header to a safe alphabet whatever the prefix holds.
    const filename = `invoice-${(invoice.number ?? 'document').replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="${filename}"`,
      ETag: `"${pdf.sha256}"`,
      'X-Document-SHA256': pdf.issuedSha256,
      'X-Document-Verified': String(pdf.matchesIssued),
    });
    res.end(pdf.bytes);
  };
}
