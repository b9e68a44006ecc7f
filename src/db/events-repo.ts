import type { Actor } from '../domain/actor.js';
import type { Db } from './invoices-repo.js';
import type { InvoiceEvent } from '../domain/invoice-event.js';

/** Appends to the invoice's audit log (the table refuses updates and deletes). */
export async function appendEvent(db: Db, actor: Actor, invoiceId: string, type: string, data: Record<string, unknown> = {}): Promise<void> {
  await db('invoice_events').insert({
    portal_id: actor.portalId,
    invoice_id: invoiceId,
    type,
    actor_type: actor.kind,
    actor_id: actor.userId,
    data: JSON.stringify(data),
  });
}

/** Up to `limit` entries of the invoice's log after event `afterId` (keyset on id), oldest first. */
export async function listEvents(db: Db, portalId: number, invoiceId: string, limit: number, afterId: number | null): Promise<InvoiceEvent[]> {
  const q = db('invoice_events').where({ portal_id: portalId, invoice_id: invoiceId });
  if (afterId !== null) q.where('id', '>', afterId);
  const rows = await q.orderBy('id').limit(limit);
  return rows.map((r) => ({
    id: r.id,
    invoiceId: r.invoice_id,
    type: r.type,
    actorType: r.actor_type,
    actorId: r.actor_id,
    data: r.data,
    createdAt: r.created_at,
  }));
}
