import { listEvents } from '../db/events-repo.js';
import { findInvoice } from '../db/invoices-repo.js';
import type { InvoiceEvent } from '../domain/invoice-event.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound } from './errors.js';

/** The audit log of one of the portal's invoices (404 for another portal's). */
export async function listInvoiceEvents(deps: Pick<Deps, 'db'>, actor: Actor, id: string): Promise<InvoiceEvent[]> {
  if (!(await findInvoice(deps.db, actor.portalId, id))) throw notFound('Invoice');
  return listEvents(deps.db, actor.portalId, id);
}
