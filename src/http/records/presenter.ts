import type { RecordLineItems } from '../../app/list-record-line-items.js';
import { presentLineContent } from '../invoices/presenter.js';
import type { RecordLineItemsResponse } from './response.js';

/** A CRM record's line items as draft lines: the body of GET /records/{type}/{id}/line-items. */
export function presentRecordLineItems(result: RecordLineItems): RecordLineItemsResponse {
  return { data: result.lineItems.map(presentLineContent), currency: result.currency, warnings: result.warnings };
}
