import type { RecordLineItems } from '../../app/list-record-line-items.js';

/** A CRM record's line items as draft lines: the body of GET /records/{type}/{id}/line-items. */
export function presentRecordLineItems(result: RecordLineItems) {
  return {
    data: result.lineItems.map((l) => ({
      hubspotLineItemId: l.hubspotLineItemId,
      hubspotProductId: l.hubspotProductId,
      name: l.name,
      description: l.description,
      sku: l.sku,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      taxRate: l.taxRate,
    })),
    currency: result.currency,
  };
}
