import { listEvents } from '../db/events-repo.js';
import { type InvoiceEvent } from '../domain/invoice-event.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { getInvoice } from './get-invoice.js';

/** The audit log of one of the portal's invoices (404 for another portal's). */
export async function listInvoiceEvents(deps: Pick<Deps, 'db'>, actor: Actor, id: string): Promise<InvoiceEvent[]> {
  await getInvoice(deps, actor, id);
  return listEvents(deps.db, actor.portalId, id);
}
