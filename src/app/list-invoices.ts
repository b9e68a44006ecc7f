import { withParts } from '../db/invoices-repo.js';
import { queryInvoicePage, type ListQuery } from '../db/invoice-list-query.js';
import { monthOf, todayIn } from '../domain/dates.js';
import type { Invoice } from '../domain/invoice.js';
import { findSettings } from '../db/portals-repo.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound } from './errors.js';

/** Named views of the invoice index. "Overdue" is derived from the due date, never stored. */
export const VIEWS = ['all', 'draft', 'open', 'overdue', 'due_this_month', 'paid', 'void'] as const;
export type View = (typeof VIEWS)[number];

/** A list request as the edge validated it. */
export type ListRequest = Omit<ListQuery, 'today' | 'monthFirst' | 'monthLast'> & { view: View };

/** One page of a portal's invoices for a view plus filters, and the cursor of the next page. */
export async function listInvoices(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: Actor,
  request: ListRequest,
): Promise<{ invoices: Invoice[]; nextCursor: string | null; today: string; timeZone: string }> {
  const settings = await findSettings(deps.db, actor.portalId);
  if (!settings) throw notFound('Portal');
  // "Today" is the portal's local date: an invoice due today is not overdue in Sydney at 9 am
  // just because it is already tomorrow in UTC... or the other way round.
  const today = todayIn(settings.timeZone, deps.clock());
  const month = monthOf(today);
  const page = await queryInvoicePage(deps.db, actor.portalId, { ...request, today, monthFirst: month.first, monthLast: month.last });
  return { invoices: await withParts(deps.db, actor.portalId, page.rows), nextCursor: page.nextCursor, today, timeZone: settings.timeZone };
}
