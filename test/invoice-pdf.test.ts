import { createHash } from 'node:crypto';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { findInvoice } from '../src/db/invoices-repo.js';
import { renderPdfOf } from '../src/app/invoice-pdf.js';
import { newPortalId } from './helpers/app.js';
import { draftBody } from './helpers/factories.js';
import { manyLines } from './helpers/hosted.js';
import { invoiceIn } from './helpers/invoices.js';
import { useTestApp } from './helpers/use-test-app.js';

const t = useTestApp({ clock: '2026-11-28T12:00:00Z', env: { HOSTED_RATE_LIMIT_PER_MINUTE: '100000' } });
const { db, clock } = t;

/** The text of each page, as a PDF reader extracts it (what a buyer can select and copy). */
async function pageTexts(bytes: Buffer): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await doc.destroy();
  return pages;
}

const getPdf = (token: string) =>
  supertest(t.app)
    .get(`/i/${token}/invoice.pdf`)
    .set('Host', 'invoices.test')
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });

describe('invoice PDF', () => {
  it('is served with selectable text: number, line names, total; its hash was stored at finalize', async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    await api.put('/api/v1/settings', { brand: { name: 'Seller BV', address: { line1: 'Keizersgracht 1', country: 'US' } } });
    const inv = await invoiceIn(api, 'open', {
      buyerComments: 'Pay within 30 days <script>alert(1)</script>',
      lineItems: [
        { name: 'Onboarding <b>', quantity: '1.5', unitPrice: 10000, discount: { type: 'percent', value: '10' }, taxRate: '21' },
        { name: 'Müller Ελένη Пётр 日本', quantity: '2', unitPrice: 2500 },
      ],
    });
    const stored = await db('invoice_documents').where({ portal_id: portal, invoice_id: inv.id }).first();
    expect(stored).toBeDefined();

    const res = await getPdf(inv.token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="invoice-${inv.number}.pdf"`);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const bytes = res.body as Buffer;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(stored.sha256);
    expect(bytes.length).toBe(stored.byte_length);
    expect(res.headers['x-document-verified']).toBe('true');

    const [text] = await pageTexts(bytes);
    expect(text).toContain(inv.number);
    expect(text).toContain('Seller BV');
    expect(text).toContain('Onboarding <b>');
    expect(text).toContain('Müller Ελένη Пётр');
    expect(text).toContain('$213.35'); // 163.35 + 2 x 25.00
    expect(text).toContain('Pay within 30 days <script>alert(1)</script>');
    // Greek and Cyrillic need the embedded font.
    expect(bytes.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+LiberationSans/);
  });

  it('uses built-in Helvetica when every character is Western European, text still extractable', async () => {
    const api = t.as(newPortalId());
    await api.put('/api/v1/settings', { brand: { name: 'Société Générale Ärzte', address: { country: 'FR' } } });
    const inv = await invoiceIn(api, 'open', {
      billTo: { name: 'Jürgen Groß', email: 'j@example.com', address: { city: 'Paris', country: 'FR' } },
      lineItems: [{ name: 'Crème brûlée – “deluxe” €', quantity: '1000', unitPrice: 123456 }],
    });
    const bytes = (await getPdf(inv.token)).body as Buffer;
    expect(bytes.toString('latin1')).toContain('/BaseFont /Helvetica');
    expect(bytes.toString('latin1')).not.toContain('LiberationSans');
    const [text] = await pageTexts(bytes);
    expect(text).toContain('Société Générale Ärzte');
    expect(text).toContain('Jürgen Groß');
    expect(text).toContain('Crème brûlée – “deluxe” €');
    // fr-FR groups with a narrow no-break space; the PDF prints a no-break space instead.
    expect(text!.replace(/\s/g, ' ')).toContain('1 234 560,00 $US');
  });

  it('gives identical bytes for the same invoice, rendered twice and read back from the database', async () => {
    const api = t.as(newPortalId());
    const inv = await invoiceIn(api, 'open');
    const a = (await getPdf(inv.token)).body as Buffer;
    clock.set('2027-03-01T08:00:00Z'); // the wall clock plays no part
    try {
      const b = (await getPdf(inv.token)).body as Buffer;
      expect(b.equals(a)).toBe(true);
    } finally {
      clock.set('2026-11-28T12:00:00Z');
    }
    const portalId = (await db('invoices').where({ id: inv.id }).first()).portal_id as number;
    const invoice = (await findInvoice(db, portalId, inv.id))!;
    expect((await renderPdfOf(invoice)).bytes.equals(a)).toBe(true);
    // Fixed metadata: the finalization time, not now.
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await pdfjs.getDocument({ data: new Uint8Array(a), verbosity: 0 }).promise;
    const { info } = (await doc.getMetadata()) as unknown as { info: Record<string, string> };
    await doc.destroy();
    expect(info).toMatchObject({ CreationDate: 'D:20261128120000Z', ModDate: 'D:20261128120000Z', Title: `Invoice ${inv.number}` });
  });

  it('spreads 200 lines over several pages with the table header and page numbers on each', async () => {
    const api = t.as(newPortalId());
    const inv = await invoiceIn(api, 'open', { lineItems: manyLines(200) });
    const pages = await pageTexts((await getPdf(inv.token)).body as Buffer);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((text, i) => {
      expect(text).toContain('Item');
      expect(text).toContain('Unit price');
      expect(text).toContain('Amount');
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    const all = pages.join(' ');
    for (const n of [1, 100, 200]) expect(all).toContain(`Line ${n} `);
  });

  it('stores the fingerprint in the same transaction when finalize runs with an Idempotency-Key', async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    const draft = (await api.post('/api/v1/invoices', draftBody())).body;
    const first = await api.post(`/api/v1/invoices/${draft.id}/finalize`).set('Idempotency-Key', 'fin-1');
    expect(first.status).toBe(200);
    const replay = await api.post(`/api/v1/invoices/${draft.id}/finalize`).set('Idempotency-Key', 'fin-1');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const stored = await db('invoice_documents').where({ portal_id: portal, invoice_id: draft.id }).first();
    const token = (first.body.hostedUrl as string).split('/').pop()!;
    expect(
      createHash('sha256')
        .update((await getPdf(token)).body as Buffer)
        .digest('hex'),
    ).toBe(stored.sha256);
  });

  it('refuses changes to stored fingerprints; stores one on first download when missing; reports a mismatch', async () => {
    const portal = newPortalId();
    const inv = await invoiceIn(t.as(portal), 'open');
    const where = { portal_id: portal, invoice_id: inv.id };
    const issued = await db('invoice_documents').where(where).first();
    expect(issued.sha256).toMatch(/^[0-9a-f]{64}$/);
    await expect(db('invoice_documents').where(where).update({ byte_length: 1 })).rejects.toThrow(/insert-only/);
    await expect(db('invoice_documents').where(where).delete()).rejects.toThrow(/insert-only/);

    // As if the process died between the finalize commit and storing the fingerprint (triggers
    // off for this transaction only).
    const replaceStored = (row: object | null) =>
      db.transaction(async (trx) => {
        await trx.raw('SET LOCAL session_replication_role = replica');
        await trx('invoice_documents').where(where).delete();
        if (row) await trx('invoice_documents').insert({ ...where, ...row });
      });
    await replaceStored(null);
    const first = await getPdf(inv.token);
    expect(first.headers['x-document-verified']).toBe('true');
    expect(await db('invoice_documents').where(where).first()).toMatchObject({ sha256: issued.sha256, byte_length: issued.byte_length });

    await replaceStored({ sha256: 'f'.repeat(64), byte_length: 10 });
    const changed = await getPdf(inv.token);
    expect(changed.status).toBe(200);
    expect(changed.headers['x-document-verified']).toBe('false');
    expect(changed.headers['x-document-sha256']).toBe('f'.repeat(64));
  });
});
