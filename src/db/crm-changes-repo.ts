import type { Knex } from 'knex';
import type { BillTo, ObjectType } from '../domain/invoice.js';
import type { InvoiceStatus } from '../domain/lifecycle.js';

/**
 * What changes reported by the CRM do to stored invoices. Drafts only: every write here is
 * guarded by `status = 'draft'`, and finalized invoices are only ever read.
 */

/** A draft marked "source changed", and whether it was unmarked before. */
export interface FlaggedDraft {
  id: string;
  newlyFlagged: boolean;
}

/** Marks the portal's drafts copied from `source` as "source changed" at `now`. */
export async function flagDraftsOfSource(
  trx: Knex.Transaction,
  portalId: number,
  source: { objectType: ObjectType; objectId: string },
  now: Date,
): Promise<FlaggedDraft[]> {
  return flagDrafts(trx, portalId, now, (q) => q.where({ source_object_type: source.objectType, source_object_id: source.objectId }));
}

/** Marks the portal's drafts (with a source) holding a copy of HubSpot line item `lineItemId` as "source changed". */
export async function flagDraftsWithHubSpotLine(trx: Knex.Transaction, portalId: number, lineItemId: string, now: Date): Promise<FlaggedDraft[]> {
  return flagDrafts(trx, portalId, now, (q) =>
    q
      .whereNotNull('source_object_type')
      .whereIn('id', trx('invoice_line_items').select('invoice_id').where({ portal_id: portalId, hubspot_line_item_id: lineItemId })),
  );
}

async function flagDrafts(trx: Knex.Transaction, portalId: number, now: Date, scope: (q: Knex.QueryBuilder) => Knex.QueryBuilder): Promise<FlaggedDraft[]> {
  // Locked in id order, as invoicesReferringToContact does: two events touching the same drafts cannot deadlock.
  const rows = (await scope(trx('invoices').select('id', 'source_changed_at').where({ portal_id: portalId, status: 'draft' }))
    .orderBy('id')
    .forUpdate()) as Array<{
    id: string;
    source_changed_at: Date | null;
  }>;
  if (rows.length === 0) return [];
  // Always the latest report: a resync clears the mark only if it read the source after it.
  await trx('invoices')
    .where({ portal_id: portalId, status: 'draft' })
    .whereIn(
      'id',
      rows.map((r) => r.id),
    )
    .update({ source_changed_at: now });
  return rows.map((r) => ({ id: r.id, newlyFlagged: r.source_changed_at === null }));
}

/**
 * Clears a draft's "source changed" mark if it was set no later than `sourceReadAt`, the instant
 * its source was read for a resync. A change reported after that read may be missing from what
 * was copied, so it keeps the mark.
 */
export async function clearSourceChanged(trx: Knex.Transaction, portalId: number, id: string, sourceReadAt: Date): Promise<void> {
  await trx('invoices').where({ portal_id: portalId, id, status: 'draft' }).where('source_changed_at', '<=', sourceReadAt).update({ source_changed_at: null });
}

/** An invoice that refers to a CRM contact, locked until the transaction ends. */
export interface ContactReference {
  id: string;
  status: InvoiceStatus;
  billTo: BillTo | null;
}

/** The portal's invoices (any status) associated with `contactId` or billing it, locked. */
export async function invoicesReferringToContact(trx: Knex.Transaction, portalId: number, contactId: string): Promise<ContactReference[]> {
  const rows = (await trx('invoices')
    .select('id', 'status', 'bill_to')
    .where({ portal_id: portalId })
    .where((q) =>
      q
        .whereIn('id', trx('invoice_associations').select('invoice_id').where({ portal_id: portalId, object_type: 'contacts', object_id: contactId }))
        .orWhereRaw(`bill_to ->> 'contactId' = ?`, [contactId]),
    )
    .orderBy('id')
    .forUpdate()) as Array<{ id: string; status: InvoiceStatus; bill_to: BillTo | null }>;
  return rows.map((r) => ({ id: r.id, status: r.status, billTo: r.bill_to }));
}

/**
 * Drops a contact from a draft's associations and sets its billing contact, bumping the version
 * as an edit does (so an editor holding the old version gets a 409 instead of putting it back).
 * Returns false when the invoice is no longer a draft.
 */
export async function removeContactFromDraft(
  trx: Knex.Transaction,
  portalId: number,
  id: string,
  contactId: string,
  billTo: BillTo | null,
  now: Date,
): Promise<boolean> {
  const updated = await trx('invoices')
    .where({ portal_id: portalId, id, status: 'draft' })
    .update({ bill_to: billTo === null ? null : JSON.stringify(billTo), version: trx.raw('version + 1'), updated_at: now });
  if (updated === 0) return false;
  await trx('invoice_associations').where({ portal_id: portalId, invoice_id: id, object_type: 'contacts', object_id: contactId }).delete();
  return true;
}
