import { findInvoice } from '../db/invoices-repo.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound } from './errors.js';
import { settingsOf, withToday, type InvoiceToday } from './invoice-today.js';

/** One invoice of the actor's portal, with the portal's today; another portal's invoice is not found. */
export async function getInvoice(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, id: string): Promise<InvoiceToday> {
  const invoice = await findInvoice(deps.db, actor.portalId, id);
  if (!invoice) throw notFound('Invoice');
  return withToday(invoice, await settingsOf(deps.db, actor.portalId), deps.clock());
}
