import { findInvoiceByPublicToken } from '../db/invoices-repo.js';
import { findSettings } from '../db/portals-repo.js';
import { todayIn } from '../domain/dates.js';
import type { Invoice } from '../domain/invoice.js';
import type { Deps } from './deps.js';
import { notFound } from './errors.js';
import { hostServesPortal } from './hosted-host.js';

/**
 * Shape of a hosted-page token: create-invoice makes 24 random bytes (192 bits), base64url
 * without padding = 32 characters. Anything else is rejected before touching the database.
 */
export const PUBLIC_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** A finalized invoice as a buyer may see it, with the portal's local date for "past due". */
export interface HostedInvoice {
  invoice: Invoice;
  today: string;
}

/**
 * The invoice behind a hosted-page token, asked for on `host` (the request's Host name). It answers
 * only on the service's public origin or a domain verified for the invoice's portal
 * ({@link hostServesPortal}, shared with the pay routes); elsewhere, for drafts, and for unknown
 * or malformed tokens it is the same `not_found`, so a caller learns nothing about which tokens exist.
 */
export async function getHostedInvoice(deps: Pick<Deps, 'db' | 'clock' | 'config'>, token: string, host: string): Promise<HostedInvoice> {
  if (!PUBLIC_TOKEN_PATTERN.test(token)) throw notFound('Invoice');
  const invoice = await findInvoiceByPublicToken(deps.db, token);
  if (!invoice || invoice.status === 'draft') throw notFound('Invoice');
  const settings = await findSettings(deps.db, invoice.portalId);
  if (!settings) throw notFound('Invoice');
  if (!(await hostServesPortal(deps, invoice.portalId, host))) throw notFound('Invoice');
  return { invoice, today: todayIn(settings.timeZone, deps.clock()) };
}
