import type { Knex } from 'knex';

/** A vendor event as the processed-event ledger records it. */
export interface ProcessedEvent {
  source: 'hubspot' | 'stripe';
  /** The vendor's id of the event (or a key built from its identifying fields). */
  eventId: string;
  portalId: number | null;
  type: string;
}

/**
 * Claims a vendor event for processing: true the first time, false when it was already claimed
 * (a repeated delivery). Call it inside the transaction that applies the event's effect, so the
 * claim and the effect commit or roll back together; a concurrent delivery of the same event
 * waits on the row and then sees it as already claimed.
 */
export async function claimEvent(trx: Knex.Transaction, e: ProcessedEvent, now: Date): Promise<boolean> {
  const rows = await trx('processed_events')
    .insert({ source: e.source, event_id: e.eventId, portal_id: e.portalId, type: e.type, processed_at: now })
    .onConflict(['source', 'event_id'])
    .ignore()
    .returning('event_id');
  return rows.length > 0;
}

/** True when the event was applied already (a cheap look before opening a transaction; the claim decides). */
export async function eventProcessed(db: Knex, source: ProcessedEvent['source'], eventId: string): Promise<boolean> {
  return Boolean(await db('processed_events').where({ source, event_id: eventId }).first('event_id'));
}
