import { findInvoice } from '../db/invoices-repo.js';
import { findAttemptBySession, findInvoiceRefByToken } from '../db/stripe-repo.js';
import type { Deps } from './deps.js';
import { notFound } from './errors.js';
import { hostServesPortal } from './hosted-host.js';

/** What the success page tells the buyer. */
export interface CheckoutResult {
  /** `paid`: recorded; `pending`: an ACH debit is settling; `processing`: Stripe has not told us yet; `failed`: the debit failed. */
  state: 'paid' | 'pending' | 'processing' | 'failed';
  invoiceNumber: string;
  amount: number;
  currency: string;
}

/**
 * The outcome of a Checkout Session of the invoice behind `token`, from what the webhooks
 * recorded. A session of another invoice is a 404: the page never tells anything about it, nor
 * on a host that does not serve the invoice's portal (see {@link hostServesPortal}).
 */
export async function checkoutResult(deps: Pick<Deps, 'db' | 'config'>, token: string, sessionId: string, host: string): Promise<CheckoutResult> {
  const ref = await findInvoiceRefByToken(deps.db, token);
  if (!ref || !(await hostServesPortal(deps, ref.portalId, host))) throw notFound('Payment');
  const attempt = await findAttemptBySession(deps.db, sessionId);
  if (!attempt || attempt.portalId !== ref.portalId || attempt.invoiceId !== ref.invoiceId) throw notFound('Payment');
  const invoice = (await findInvoice(deps.db, ref.portalId, ref.invoiceId))!;
  const state = attempt.status === 'paid' ? 'paid' : attempt.status === 'pending' ? 'pending' : attempt.status === 'failed' ? 'failed' : 'processing';
  return { state, invoiceNumber: invoice.number ?? '', amount: attempt.amount, currency: attempt.currency };
}
