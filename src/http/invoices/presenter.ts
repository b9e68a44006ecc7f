import { balanceDue, hostedUrl, type Invoice, type LineItemInput } from '../../domain/invoice.js';
import { warningsStillApplying } from '../../domain/crm-tax.js';
import { pastDueOn } from '../../domain/lifecycle.js';
import type { InvoiceEvent } from '../../domain/invoice-event.js';
import type { InvoiceEventResponse, InvoiceResponse, LineContentResponse } from './response.js';

/** What presenting needs besides the invoice: the portal's local date and the public origin. */
export interface PresentContext {
  today: string;
  publicBaseUrl: string;
}

/** The invoice as docs/api.md defines it. Explicit field by field: rows never leak out. */
export function presentInvoice(inv: Invoice, ctx: PresentContext): InvoiceResponse {
  const { pastDue, daysPastDue } = pastDueOn(inv, ctx.today);
  return {
    id: inv.id,
    number: inv.number,
    status: inv.status,
    pastDue,
    daysPastDue,
    currency: inv.currency,
    invoiceDate: inv.invoiceDate,
    dueDate: inv.dueDate,
    paymentTerms: inv.paymentTerms,
    lineItems: inv.lineItems.map((l, i) => {
      const t = inv.totals.lines[i]!;
      return { id: inv.lineIds[i]!, ...presentLineContent(l), amount: t.amount, discountAmount: t.discountAmount, taxAmount: t.taxAmount };
    }),
    adjustments: inv.adjustments.map((a, i) => ({ ...a, amount: inv.totals.adjustments[i]!.amount })),
    subtotal: inv.totals.subtotal,
    discountTotal: inv.totals.discountTotal,
    feeTotal: inv.totals.feeTotal,
    taxTotal: inv.totals.taxTotal,
    total: inv.totals.total,
    amountPaid: inv.amountPaid,
    balanceDue: balanceDue(inv),
    // Overpaid money kept for the seller to refund or apply (online payments only).
    creditAmount: inv.creditAmount,
    paymentMethods: inv.paymentMethods,
    allowPartialPayments: inv.allowPartialPayments,
    buyerComments: inv.buyerComments,
    domain: inv.domain,
    // Drafts have no public page.
    hostedUrl: inv.status === 'draft' ? null : hostedUrl(inv, ctx.publicBaseUrl),
    billTo: inv.billTo,
    associations: inv.associations,
    source: inv.source,
    // Only a draft can be re-synced; a finalized invoice never reports its source as changed.
    sourceChanged: inv.status === 'draft' && inv.sourceChangedAt !== null,
    warnings: warningsStillApplying(inv.warnings, inv.lineItems),
    roundingRule: inv.roundingRule,
    version: inv.version,
    createdAt: inv.createdAt.toISOString(),
    finalizedAt: inv.finalizedAt?.toISOString() ?? null,
    paidAt: inv.paidAt?.toISOString() ?? null,
    voidedAt: inv.voidedAt?.toISOString() ?? null,
    voidReason: inv.voidReason,
  };
}

/** One audit log entry. */
/** What a line says, as written (no computed amounts): shared with the record line-items list. */
export function presentLineContent(l: LineItemInput): LineContentResponse {
  return {
    name: l.name,
    description: l.description,
    sku: l.sku,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discount: l.discount,
    taxRate: l.taxRate,
    hubspotLineItemId: l.hubspotLineItemId,
    hubspotProductId: l.hubspotProductId,
  };
}

export function presentEvent(e: InvoiceEvent): InvoiceEventResponse {
  return {
    id: String(e.id),
    type: e.type,
    actor: { type: e.actorType, id: e.actorId },
    data: e.data,
    createdAt: e.createdAt.toISOString(),
  };
}
