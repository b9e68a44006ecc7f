import type { Invoice } from '../domain/invoice.js';
import { noAssociations, type ObjectType } from '../domain/invoice.js';
import type { InvoiceTotals } from '../domain/totals.js';

/** Row shapes of the invoice tables, as the type parsers in connect.ts return them. */
export interface InvoiceRow {
  portal_id: number;
  id: string;
  status: Invoice['status'];
  number: string | null;
  currency: string;
  invoice_date: string;
  due_date: string;
  payment_terms: Invoice['paymentTerms'];
  subtotal: number;
  discount_total: number;
  fee_total: number;
  tax_total: number;
  total: number;
  amount_paid: number;
  credit_amount: number;
  rounding_rule: string;
  payment_methods: Invoice['paymentMethods'];
  allow_partial_payments: boolean;
  buyer_comments: string;
  domain: string | null;
  bill_to: Invoice['billTo'];
  public_token: string;
  source_object_type: ObjectType | null;
  source_object_id: string | null;
  crm_warnings: Invoice['warnings'] | null;
  snapshot: unknown;
  source_changed_at: Date | null;
  version: number;
  created_at: Date;
  finalized_at: Date | null;
  paid_at: Date | null;
  voided_at: Date | null;
  void_reason: string | null;
}

export interface LineRow {
  invoice_id: string;
  id: string;
  position: number;
  name: string;
  description: string;
  sku: string | null;
  quantity: string;
  unit_price: number;
  discount_type: 'percent' | 'amount' | null;
  discount_value: string | null;
  tax_rate: string | null;
  gross_amount: number;
  discount_amount: number;
  amount: number;
  invoice_discount_share: number;
  tax_amount: number;
  hubspot_line_item_id: string | null;
  hubspot_product_id: string | null;
}

export interface AdjustmentRow {
  invoice_id: string;
  position: number;
  kind: 'discount' | 'fee' | 'tax';
  label: string;
  type: 'percent' | 'amount';
  value: string;
  amount: number;
}

export interface AssociationRow {
  invoice_id: string;
  object_type: ObjectType;
  object_id: string;
}

/** Assembles the domain invoice from its row and its parts' rows (already in position order). */
export function toInvoice(row: InvoiceRow, lines: LineRow[], adjustments: AdjustmentRow[], associations: AssociationRow[]): Invoice {
  const assoc = noAssociations();
  for (const a of associations) assoc[a.object_type].push(a.object_id);
  const totals: InvoiceTotals = {
    lines: lines.map((l) => ({
      gross: l.gross_amount,
      discountAmount: l.discount_amount,
      amount: l.amount,
      invoiceDiscountShare: l.invoice_discount_share,
      taxableAmount: l.amount - l.invoice_discount_share,
      taxAmount: l.tax_amount,
    })),
    adjustments: adjustments.map((a) => ({ amount: a.amount })),
    subtotal: row.subtotal,
    discountTotal: row.discount_total,
    feeTotal: row.fee_total,
    taxTotal: row.tax_total,
    total: row.total,
    roundingRule: row.rounding_rule as InvoiceTotals['roundingRule'],
  };
  return {
    id: row.id,
    portalId: row.portal_id,
    status: row.status,
    number: row.number,
    currency: row.currency,
    invoiceDate: row.invoice_date,
    dueDate: row.due_date,
    paymentTerms: row.payment_terms,
    lineItems: lines.map((l) => ({
      name: l.name,
      description: l.description,
      sku: l.sku,
      quantity: l.quantity,
      unitPrice: l.unit_price,
      discount: l.discount_type ? { type: l.discount_type, value: l.discount_value! } : null,
      taxRate: l.tax_rate,
      hubspotLineItemId: l.hubspot_line_item_id,
      hubspotProductId: l.hubspot_product_id,
    })),
    lineIds: lines.map((l) => l.id),
    adjustments: adjustments.map((a) => ({ kind: a.kind, label: a.label, type: a.type, value: a.value })),
    totals,
    amountPaid: row.amount_paid,
    creditAmount: row.credit_amount ?? 0,
    roundingRule: row.rounding_rule,
    paymentMethods: row.payment_methods,
    allowPartialPayments: row.allow_partial_payments,
    buyerComments: row.buyer_comments,
    domain: row.domain,
    billTo: row.bill_to,
    associations: assoc,
    source: row.source_object_type ? { objectType: row.source_object_type, objectId: row.source_object_id! } : null,
    warnings: row.crm_warnings ?? [],
    publicToken: row.public_token,
    snapshot: row.snapshot,
    sourceChangedAt: row.source_changed_at,
    version: row.version,
    createdAt: row.created_at,
    finalizedAt: row.finalized_at,
    paidAt: row.paid_at,
    voidedAt: row.voided_at,
    voidReason: row.void_reason,
  };
}
