import type { Knex } from 'knex';
import { saveStripeConnection } from '../../src/db/stripe-repo.js';
import type { testApp } from './app.js';
import { draftBody } from './factories.js';

/** An open (finalized) invoice of a portal whose Stripe account is connected with charges enabled. */
export async function openInvoiceOnConnectedPortal(
  db: Knex,
  t: ReturnType<typeof testApp>,
  portalId: number,
  accountId: string,
  overrides: Record<string, unknown> = {},
) {
  const api = t.as(portalId);
  const draft = (await api.post('/api/v1/invoices', draftBody(overrides))).body;
  const open = (await api.post(`/api/v1/invoices/${draft.id}/finalize`)).body;
  if (!open.hostedUrl) throw new Error(`finalize failed: ${JSON.stringify(open)}`);
  await saveStripeConnection(db, portalId, accountId, true, new Date());
  const token = String(open.hostedUrl).split('/i/')[1]!;
  return { api, invoice: open, token };
}
