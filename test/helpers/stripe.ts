import type { Knex } from 'knex';
import { saveStripeConnection } from '../../src/db/stripe-repo.js';
import type { TestApp } from './app.js';
import { invoiceIn } from './invoices.js';

/** An open (finalized) invoice of a portal whose Stripe account is connected with charges enabled. */
export async function openInvoiceOnConnectedPortal(
  db: Knex,
  t: Pick<TestApp, 'as'>,
  portalId: number,
  accountId: string,
  overrides: Record<string, unknown> = {},
) {
  const api = t.as(portalId);
  const open = await invoiceIn(api, 'open', overrides);
  await saveStripeConnection(db, portalId, accountId, true, new Date());
  return { api, invoice: open.body, token: open.token };
}
