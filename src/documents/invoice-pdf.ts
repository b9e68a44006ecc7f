/**
 * The invoice PDF, rendered with pdfkit so that the same invoice always gives the same bytes:
 * every input comes from the finalized document (documentView), the metadata dates are the
 * invoice's finalization time, Producer/Creator are fixed, and pdfkit derives the file ID in the
 * trailer from that metadata (an MD5 of the info dictionary), so nothing random or clock-based
 * enters the file. That is what lets us store its SHA-256 at finalization and check it later.
 *
 * Fonts, chosen by the document's text (so the choice is deterministic too): when every character
 * is in WinAnsi (Western European: "Müller", "€", "ß"), PDF's built-in Helvetica, which costs
 * nothing to embed; otherwise Liberation Sans (SIL OFL 1.1, assets/fonts, the same files
 * pdfjs-dist ships), embedded and subset, which adds Greek, Cyrillic and more Latin ("Ελένη",
 * "Пётр", "Łódź") for ~10-25 ms per document. Characters outside Liberation too (CJK, emoji)
 * print as empty boxes but stay in the text layer, so they can still be selected and searched.
 * The logo URL is deliberately not fetched: a network read would make the bytes depend on
 * someone else's server.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import type { DocumentView } from '../domain/invoice-document.js';

const FONT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets', 'fonts');
const REGULAR = readFileSync(join(FONT_DIR, 'LiberationSans-Regular.ttf'));
const BOLD = readFileSync(join(FONT_DIR, 'LiberationSans-Bold.ttf'));

/** Unicode code points outside Latin-1 that WinAnsi (Windows-1252) encodes. */
const WIN_ANSI_EXTRA = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022,
  0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

/** True when Helvetica (WinAnsi-encoded) can show every character of `text`. */
export function fitsWinAnsi(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(c)) continue;
    return false;
  }
  return true;
}

/**
 * Intl uses thin and narrow no-break spaces as separators in some locales (fr: "1 234,56 €");
 * a no-break space looks the same and keeps those documents in Helvetica.
 */
function plainSpaces(text: string): string {
  return text.replace(/[\u2009\u202f]/g, '\u00a0');
}

function viewStrings(view: DocumentView): string[] {
  return [
    view.number,
    view.currency,
    view.invoiceDate,
    view.dueDate,
    view.seller.name,
    ...view.seller.addressLines,
    view.buyer.name,
    view.buyer.companyName,
    view.buyer.email,
    ...view.buyer.addressLines,
    view.buyerComments,
    view.total,
    ...view.lines.flatMap((l) => [l.name, l.description, l.sku, l.quantity, l.unitPrice, l.discount, l.tax, l.amount]),
    ...view.summary.flatMap((r) => [r.label, r.amount]),
  ];
}

/** Every string of the view with {@link plainSpaces} applied. */
function withPlainSpaces(view: DocumentView): DocumentView {
  const p = plainSpaces;
  return {
    ...view,
    number: p(view.number),
    invoiceDate: p(view.invoiceDate),
    dueDate: p(view.dueDate),
    total: p(view.total),
    lines: view.lines.map((l) => ({ ...l, quantity: p(l.quantity), unitPrice: p(l.unitPrice), discount: p(l.discount), amount: p(l.amount) })),
    summary: view.summary.map((r) => ({ label: r.label, amount: p(r.amount) })),
  };
}

/** Fixed producer string: part of the bytes, so changing it changes every document's hash. */
export const PDF_PRODUCER = 'hubspot-invoicing invoice-pdf 1';

const MARGIN = 48;
const FOOTER = 28;
const GREY = '#555555';
/** Table columns: x offset from the left margin and width, in points (A4 is 595 wide). */
const COLS = {
  item: { x: 0, w: 235 },
  qty: { x: 240, w: 45 },
  unit: { x: 290, w: 80 },
  tax: { x: 375, w: 40 },
  amount: { x: 419, w: 80 },
} as const;

/** A rendered PDF and its fingerprint. */
export interface RenderedPdf {
  bytes: Buffer;
  sha256: string;
}

/** Renders the invoice document; deterministic in (view, finalizedAt). */
export async function renderInvoicePdf(given: DocumentView, finalizedAt: Date): Promise<RenderedPdf> {
  const view = withPlainSpaces(given);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER },
    bufferPages: true,
    lang: 'en',
    displayTitle: true,
    info: {
      Title: `Invoice ${view.number}`,
      Subject: `Invoice ${view.number}`,
      Author: view.seller.name,
      Producer: PDF_PRODUCER,
      Creator: PDF_PRODUCER,
      CreationDate: finalizedAt,
      ModDate: finalizedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  if (viewStrings(view).every(fitsWinAnsi)) {
    // By their own names: pdfkit caches fonts per document under the name passed to font(), and
    // an alias of a standard font would re-parse its metrics on every font() call.
    FONTS.set(doc, { regular: 'Helvetica', bold: 'Helvetica-Bold' });
  } else {
    doc.registerFont('Regular', REGULAR);
    doc.registerFont('Bold', BOLD);
    FONTS.set(doc, { regular: 'Regular', bold: 'Bold' });
  }

  header(doc, view);
  table(doc, view);
  summary(doc, view);
  pageNumbers(doc, view);
  doc.end();
  await ended;
  const bytes = Buffer.concat(chunks);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

type Doc = PDFKit.PDFDocument;

/** The font names a document uses (Helvetica's, or the registered Liberation Sans). */
const FONTS = new WeakMap<Doc, { regular: string; bold: string }>();
const regular = (doc: Doc) => FONTS.get(doc)!.regular;
const bold = (doc: Doc) => FONTS.get(doc)!.bold;

function contentWidth(doc: Doc): number {
  return doc.page.width - MARGIN * 2;
}

function bottomLimit(doc: Doc): number {
  return doc.page.height - MARGIN - FOOTER;
}

function header(doc: Doc, view: DocumentView): void {
  const right = MARGIN + contentWidth(doc) / 2;
  const half = contentWidth(doc) / 2;
  doc
    .font(bold(doc))
    .fontSize(16)
    .fillColor('black')
    .text(view.seller.name || ' ', MARGIN, MARGIN, { width: half - 10 });
  doc.font(regular(doc)).fontSize(9).fillColor(GREY);
  for (const line of view.seller.addressLines) doc.text(line, { width: half - 10 });
  const leftBottom = doc.y;

  doc.font(bold(doc)).fontSize(20).fillColor('black').text('INVOICE', right, MARGIN, { width: half, align: 'right' });
  doc.font(regular(doc)).fontSize(10);
  doc.text(`Number: ${view.number}`, right, doc.y + 4, { width: half, align: 'right' });
  doc.text(`Invoice date: ${view.invoiceDate}`, { width: half, align: 'right' });
  doc.text(`Due date: ${view.dueDate}`, { width: half, align: 'right' });
  doc.text(`Currency: ${view.currency}`, { width: half, align: 'right' });

  let y = Math.max(leftBottom, doc.y) + 18;
  doc.font(bold(doc)).fontSize(9).fillColor(GREY).text('BILL TO', MARGIN, y);
  doc.font(regular(doc)).fontSize(10).fillColor('black');
  const buyer = [view.buyer.name, view.buyer.companyName, ...view.buyer.addressLines, view.buyer.email].filter(Boolean);
  for (const line of buyer) doc.text(line, { width: half });
  y = doc.y + 18;
  doc.y = y;
}

function tableHeader(doc: Doc): void {
  const y = doc.y;
  doc.font(bold(doc)).fontSize(9).fillColor(GREY);
  doc.text('Item', MARGIN + COLS.item.x, y, { width: COLS.item.w, lineBreak: false });
  doc.text('Qty', MARGIN + COLS.qty.x, y, { width: COLS.qty.w, align: 'right', lineBreak: false });
  doc.text('Unit price', MARGIN + COLS.unit.x, y, { width: COLS.unit.w, align: 'right', lineBreak: false });
  doc.text('Tax', MARGIN + COLS.tax.x, y, { width: COLS.tax.w, align: 'right', lineBreak: false });
  doc.text('Amount', MARGIN + COLS.amount.x, y, { width: COLS.amount.w, align: 'right', lineBreak: false });
  const rule = y + 13;
  doc
    .moveTo(MARGIN, rule)
    .lineTo(MARGIN + contentWidth(doc), rule)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
  doc.y = rule + 5;
}

/** Starts a new page whose table begins with the column header again. */
function continuation(doc: Doc, view: DocumentView): void {
  doc.addPage();
  doc.font(regular(doc)).fontSize(9).fillColor(GREY).text(`Invoice ${view.number} (continued)`, MARGIN, MARGIN);
  doc.y += 8;
  tableHeader(doc);
}

function table(doc: Doc, view: DocumentView): void {
  tableHeader(doc);
  for (const line of view.lines) {
    const detail = [line.sku ? `SKU ${line.sku}` : '', line.description, line.discount ? `Discount ${line.discount}` : ''].filter(Boolean).join(' · ');
    doc.font(bold(doc)).fontSize(10);
    const nameHeight = doc.heightOfString(line.name, { width: COLS.item.w });
    doc.font(regular(doc)).fontSize(8.5);
    const detailHeight = detail ? doc.heightOfString(detail, { width: COLS.item.w }) : 0;
    const height = nameHeight + detailHeight + 6;
    if (doc.y + height > bottomLimit(doc)) continuation(doc, view);
    const y = doc.y;
    doc
      .font(bold(doc))
      .fontSize(10)
      .fillColor('black')
      .text(line.name, MARGIN + COLS.item.x, y, { width: COLS.item.w });
    if (detail)
      doc
        .font(regular(doc))
        .fontSize(8.5)
        .fillColor(GREY)
        .text(detail, MARGIN + COLS.item.x, doc.y, { width: COLS.item.w });
    doc.font(regular(doc)).fontSize(10).fillColor('black');
    doc.text(line.quantity, MARGIN + COLS.qty.x, y, { width: COLS.qty.w, align: 'right', lineBreak: false });
    doc.text(line.unitPrice, MARGIN + COLS.unit.x, y, { width: COLS.unit.w, align: 'right', lineBreak: false });
    doc.text(line.tax, MARGIN + COLS.tax.x, y, { width: COLS.tax.w, align: 'right', lineBreak: false });
    doc.text(line.amount, MARGIN + COLS.amount.x, y, { width: COLS.amount.w, align: 'right', lineBreak: false });
    doc.y = y + height;
  }
  const rule = doc.y;
  doc
    .moveTo(MARGIN, rule)
    .lineTo(MARGIN + contentWidth(doc), rule)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
  doc.y = rule + 8;
}

function summary(doc: Doc, view: DocumentView): void {
  const labelX = MARGIN + COLS.unit.x - 80;
  const labelW = COLS.amount.x - COLS.unit.x + 75;
  const rows = view.summary.length * 16 + 8;
  if (doc.y + rows > bottomLimit(doc)) {
    doc.addPage();
    doc.y = MARGIN;
  }
  view.summary.forEach((row, i) => {
    const last = i === view.summary.length - 1;
    const y = doc.y + (last ? 4 : 0);
    doc
      .font(last ? bold(doc) : regular(doc))
      .fontSize(last ? 12 : 10)
      .fillColor('black');
    doc.text(row.label, labelX, y, { width: labelW, lineBreak: false });
    doc.text(row.amount, MARGIN + COLS.amount.x - 40, y, { width: COLS.amount.w + 40, align: 'right', lineBreak: false });
    doc.y = y + 16;
  });
  if (view.buyerComments) {
    doc.y += 14;
    doc.font(bold(doc)).fontSize(9).fillColor(GREY);
    if (doc.y + 40 > bottomLimit(doc)) {
      doc.addPage();
      doc.y = MARGIN;
    }
    doc.text('NOTES', MARGIN, doc.y);
    doc
      .font(regular(doc))
      .fontSize(10)
      .fillColor('black')
      .text(view.buyerComments, MARGIN, doc.y + 2, { width: contentWidth(doc) });
  }
}

/** "Invoice N · Page i of n" in every page's footer (pages are buffered until now). */
function pageNumbers(doc: Doc, view: DocumentView): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit add a page; lift the margin for the footer.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(regular(doc)).fontSize(8).fillColor(GREY);
    doc.text(`Invoice ${view.number} · Page ${i + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN, {
      width: contentWidth(doc),
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}
