/**
 * `json`: everything we know, as one JSON array of invoices (number order) with their lines,
 * adjustments and payments; amounts in minor units (integers) as in the API. Streamed: `[`, then
 * one invoice per chunk separated by commas, then `]`. Lines' amount + taxAmount plus the signed
 * adjustments add up to the total, and payments to amountPaid, checked while writing.
 */
import { balanceDue, type Invoice } from '../invoice.js';
import { notReconciled, type ExportPayment } from './common.js';

/** The exported object of one invoice (keys in a fixed order, so the bytes are stable). */
export function jsonInvoice(inv: Invoice, payments: ExportPayment[]): Record<string, unknown> {
  const lines = inv.lineItems.map((l, i) => {
    const t = inv.totals.lines[i]!;
    return {
      position: i + 1,
      name: l.name,
      description: l.description,
      sku: l.sku,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      taxRate: l.taxRate,
      hubspotProductId: l.hubspotProductId,
      gross: t.gross,
      discountAmount: t.discountAmount,
      amount: t.amount,
      invoiceDiscountShare: t.invoiceDiscountShare,
      taxableAmount: t.taxableAmount,
      taxAmount: t.taxAmount,
    };
  });
  const adjustments = inv.adjustments.map((a, k) => {
    const amount = inv.totals.adjustments[k]!.amount;
    return { position: k + 1, kind: a.kind, label: a.label, type: a.type, value: a.value, amount: a.kind === 'discount' ? -amount : amount };
  });
  const sum = lines.reduce((s, l) => s + l.amount + l.taxAmount, 0) + adjustments.reduce((s, a) => s + a.amount, 0);
  if (sum !== inv.totals.total) throw notReconciled(inv, 'lines and adjustments', inv.totals.total, sum, inv.currency);
  const paid = payments.reduce((s, p) => s + p.amount, 0);
  if (paid !== inv.amountPaid) throw notReconciled(inv, 'payments', inv.amountPaid, paid, inv.currency);
  return {
    id: inv.id,
    number: inv.number,
    status: inv.status,
    currency: inv.currency,
    invoiceDate: inv.invoiceDate,
    dueDate: inv.dueDate,
    paymentTerms: inv.paymentTerms,
    billTo: inv.billTo,
    buyerComments: inv.buyerComments,
    roundingRule: inv.roundingRule,
    lines,
    adjustments,
    subtotal: inv.totals.subtotal,
    discountTotal: inv.totals.discountTotal,
    feeTotal: inv.totals.feeTotal,
    taxTotal: inv.totals.taxTotal,
    total: inv.totals.total,
    amountPaid: inv.amountPaid,
    balanceDue: balanceDue(inv),
    payments: payments.map((p, k) => ({ position: k + 1, amount: p.amount, method: p.method, reference: p.reference, receivedOn: p.receivedOn })),
    version: inv.version,
    finalizedAt: inv.finalizedAt,
    paidAt: inv.paidAt,
    voidedAt: inv.voidedAt,
    voidReason: inv.voidReason,
  };
}

/** One array element, with the comma before every element but the first. */
export function jsonRecords(inv: Invoice, payments: ExportPayment[], first: boolean): string {
  return `${first ? '\n' : ',\n'}${JSON.stringify(jsonInvoice(inv, payments))}`;
}
