import { findInvoice } from '../db/invoices-repo.js';
import type { Invoice } from '../domain/invoice.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound } from './errors.js';

/** One invoice of the actor's portal; another portal's invoice is not found. */
export async function getInvoice(deps: Pick<Deps, 'db'>, actor: Actor, id: string): Promise<Invoice> {
  const invoice = await findInvoice(deps.db, actor.portalId, id);
  if (!invoice) throw notFound('Invoice');
  return invoice;
}
