/**
 * The issued document of a finalized invoice, as the buyer sees it on the hosted page and in the
 * PDF: read from the snapshot frozen at finalization (brand, buyer, lines, totals), turned into
 * display strings. Pure: no I/O, and the same invoice always gives the same strings, which is what
 * makes the PDF byte-for-byte reproducible.
 */
import type { Address, BillTo, Invoice } from './invoice.js';
import { balanceDue } from './invoice.js';
import { pastDueOn } from './lifecycle.js';
// Not re-exported from money/index.ts, which is also copied into the HubSpot project for the cards.
import { formatDate, formatMoney, localeForCountry } from './money/display.js';
import type { Brand } from './settings.js';

/** One line of the document with its computed amounts (minor units). */
export interface DocumentLine {
  name: string;
  description: string;
  sku: string | null;
  quantity: string;
  unitPrice: number;
  discountAmount: number;
  taxRate: string | null;
  taxAmount: number;
  amount: number;
}

/** An invoice-level discount, fee or tax with its computed amount. */
export interface DocumentAdjustment {
  kind: 'discount' | 'fee' | 'tax';
  label: string;
  type: 'percent' | 'amount';
  value: string;
  amount: number;
}

/** What finalization froze (see `documentSnapshot` in finalize-invoice.ts). */
export interface InvoiceDocument {
  number: string;
  currency: string;
  invoiceDate: string;
  dueDate: string;
  seller: Brand;
  billTo: BillTo | null;
  lines: DocumentLine[];
  adjustments: DocumentAdjustment[];
  totals: { subtotal: number; discountTotal: number; feeTotal: number; taxTotal: number; total: number };
  buyerComments: string;
}

type SnapshotShape = Partial<{
  number: string | null;
  seller: { brand?: Brand | null } | null;
  billTo: BillTo | null;
  currency: string;
  invoiceDate: string;
  dueDate: string;
  lineItems: Array<Partial<DocumentLine>>;
  adjustments: Array<Partial<DocumentAdjustment>>;
  totals: Partial<InvoiceDocument['totals']>;
  buyerComments: string;
}>;

/**
 * The frozen document of a finalized invoice. Every field comes from the snapshot; the invoice's
 * own columns (immutable after finalization, by trigger) fill any field an older snapshot lacks.
 */
export function documentOf(invoice: Invoice): InvoiceDocument {
  const s = (invoice.snapshot && typeof invoice.snapshot === 'object' ? invoice.snapshot : {}) as SnapshotShape;
  const lines: DocumentLine[] = Array.isArray(s.lineItems)
    ? s.lineItems.map((l) => ({
        name: String(l.name ?? ''),
        description: String(l.description ?? ''),
        sku: l.sku ?? null,
        quantity: String(l.quantity ?? ''),
        unitPrice: Number(l.unitPrice ?? 0),
        discountAmount: Number(l.discountAmount ?? 0),
        taxRate: l.taxRate ?? null,
        taxAmount: Number(l.taxAmount ?? 0),
        amount: Number(l.amount ?? 0),
      }))
    : invoice.lineItems.map((l, i) => {
        const t = invoice.totals.lines[i]!;
        return { ...l, discountAmount: t.discountAmount, taxAmount: t.taxAmount, amount: t.amount };
      });
  const adjustments: DocumentAdjustment[] = Array.isArray(s.adjustments)
    ? s.adjustments.map((a) => ({
        kind: a.kind ?? 'fee',
        label: String(a.label ?? ''),
        type: a.type ?? 'amount',
        value: String(a.value ?? ''),
        amount: Number(a.amount ?? 0),
      }))
    : invoice.adjustments.map((a, i) => ({ ...a, amount: invoice.totals.adjustments[i]!.amount }));
  const t = invoice.totals;
  return {
    number: s.number ?? invoice.number ?? '',
    currency: s.currency ?? invoice.currency,
    invoiceDate: s.invoiceDate ?? invoice.invoiceDate,
    dueDate: s.dueDate ?? invoice.dueDate,
    seller: s.seller?.brand ?? {},
    billTo: s.billTo === undefined ? invoice.billTo : s.billTo,
    lines,
    adjustments,
    totals: {
      subtotal: s.totals?.subtotal ?? t.subtotal,
      discountTotal: s.totals?.discountTotal ?? t.discountTotal,
      feeTotal: s.totals?.feeTotal ?? t.feeTotal,
      taxTotal: s.totals?.taxTotal ?? t.taxTotal,
      total: s.totals?.total ?? t.total,
    },
    buyerComments: s.buyerComments ?? invoice.buyerComments,
  };
}

/** A labelled amount, formatted. */
export interface AmountRow {
  label: string;
  amount: string;
}

/** The document as display strings, shared by the hosted page and the PDF. */
export interface DocumentView {
  locale: string;
  number: string;
  currency: string;
  invoiceDate: string;
  dueDate: string;
  seller: { name: string; logoUrl: string | null; addressLines: string[] };
  buyer: { name: string; companyName: string; email: string; addressLines: string[] };
  lines: Array<{ name: string; description: string; sku: string; quantity: string; unitPrice: string; discount: string; tax: string; amount: string }>;
  /** Subtotal (of the lines as shown), invoice-level adjustments, tax on lines (when any), then the total. */
  summary: AmountRow[];
  total: string;
  buyerComments: string;
}

/**
 * Display strings of a document. The locale follows the buyer's country, else the seller's, else
 * en-US: it decides number and date formats only (labels are English).
 */
export function documentView(doc: InvoiceDocument): DocumentView {
  const locale = localeForCountry(doc.billTo?.address?.country ?? doc.seller.address?.country);
  const money = (n: number) => formatMoney(n, doc.currency, locale);
  const quantity = new Intl.NumberFormat(locale, { maximumFractionDigits: 20 });
  // The table shows each line after its own discount, so the subtotal is their sum; the rows
  // below it then add up to the total exactly (totals.ts: total = subtotal - discounts + fees + taxes).
  const lineDiscounts = doc.lines.reduce((sum, l) => sum + l.discountAmount, 0);
  const summary: AmountRow[] = [{ label: 'Subtotal', amount: money(doc.totals.subtotal - lineDiscounts) }];
  for (const a of doc.adjustments) {
    const name = a.label || { discount: 'Discount', fee: 'Fee', tax: 'Tax' }[a.kind];
    const label = a.type === 'percent' ? `${name} (${a.value}%)` : name;
    summary.push({ label, amount: money(a.kind === 'discount' ? -a.amount : a.amount) });
  }
  const lineTax = doc.lines.reduce((sum, l) => sum + l.taxAmount, 0);
  if (lineTax > 0) summary.push({ label: 'Tax on lines', amount: money(lineTax) });
  const total = money(doc.totals.total);
  summary.push({ label: 'Total', amount: total });
  return {
    locale,
    number: doc.number,
    currency: doc.currency,
    invoiceDate: formatDate(doc.invoiceDate, locale),
    dueDate: formatDate(doc.dueDate, locale),
    seller: {
      name: doc.seller.name ?? '',
      logoUrl: safeImageUrl(doc.seller.logoUrl),
      addressLines: addressLines(doc.seller.address),
    },
    buyer: {
      name: doc.billTo?.name ?? '',
      companyName: doc.billTo?.companyName ?? '',
      email: doc.billTo?.email ?? '',
      addressLines: addressLines(doc.billTo?.address),
    },
    lines: doc.lines.map((l) => ({
      name: l.name,
      description: l.description,
      sku: l.sku ?? '',
      // Quantities are exact decimal strings; Intl formats the string without a float detour.
      quantity: /^\d+(\.\d+)?$/.test(l.quantity) ? quantity.format(l.quantity as unknown as number) : l.quantity,
      unitPrice: money(l.unitPrice),
      discount: l.discountAmount > 0 ? money(-l.discountAmount) : '',
      tax: l.taxRate !== null && l.taxRate !== '' ? `${l.taxRate}%` : '',
      amount: money(l.amount),
    })),
    summary,
    total,
    buyerComments: doc.buyerComments,
  };
}

/** Address as display lines: street lines, "postal code city", region, country. */
export function addressLines(a: Address | null | undefined): string[] {
  if (!a) return [];
  const cityLine = [a.postalCode, a.city].filter(Boolean).join(' ');
  return [a.line1, a.line2, cityLine, a.region, a.country].filter((s): s is string => Boolean(s && s.trim()));
}

/**
 * Only absolute https URLs are shown as images; anything else (http, javascript:, data:) is
 * dropped, matching the hosted page's Content-Security-Policy (img-src https:).
 */
function safeImageUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** The buyer-facing state of an invoice. */
export type HostedStatus = 'open' | 'past_due' | 'partially_paid' | 'paid' | 'void';

/** The hosted page's view: the document plus what changes after issue (payments, status). */
export interface HostedView extends DocumentView {
  status: HostedStatus;
  statusLabel: string;
  amountPaid: string;
  balance: string;
  /** Balance in minor units: the page offers payment only when it is positive. */
  balanceMinor: number;
  allowPartialPayments: boolean;
}

/**
 * The hosted page's view of a finalized invoice on `today` (the portal's local date): open,
 * past due (with days), partially paid, paid or void.
 */
export function hostedView(invoice: Invoice, today: string): HostedView {
  const view = documentView(documentOf(invoice));
  const money = (n: number) => formatMoney(n, view.currency, view.locale);
  const balance = balanceDue(invoice);
  const { pastDue, daysPastDue } = pastDueOn(invoice, today);
  let status: HostedStatus;
  let statusLabel: string;
  if (invoice.status === 'void') [status, statusLabel] = ['void', 'Void'];
  else if (invoice.status === 'paid') [status, statusLabel] = ['paid', 'Paid'];
  else if (pastDue) {
    status = 'past_due';
    const days = `${daysPastDue} ${daysPastDue === 1 ? 'day' : 'days'}`;
    statusLabel = invoice.amountPaid > 0 ? `Partially paid, past due (${days})` : `Past due (${days})`;
  } else if (invoice.amountPaid > 0) [status, statusLabel] = ['partially_paid', 'Partially paid'];
  else [status, statusLabel] = ['open', 'Open'];
  return {
    ...view,
    status,
    statusLabel,
    amountPaid: money(invoice.amountPaid),
    balance: money(balance),
    balanceMinor: balance,
    allowPartialPayments: invoice.allowPartialPayments,
  };
}
