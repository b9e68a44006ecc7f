import type { MirrorStatus } from '../domain/crm.js';
import type { Db } from './invoices-repo.js';

/** One row of invoice_mirrors: the intent to mirror an invoice into HubSpot, and its progress. */
export interface InvoiceMirrorRow {
  portalId: number;
  invoiceId: string;
  hubspotInvoiceId: string | null;
  /** HubSpot line item ids by our line position; null where none exists yet. */
  hubspotLineItemIds: Array<string | null>;
  desiredStatus: MirrorStatus;
  syncedStatus: MirrorStatus | null;
  revision: number;
  syncedRevision: number;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  lockedUntil: Date | null;
  updatedAt: Date;
}

interface Row {
  portal_id: number;
  invoice_id: string;
  hubspot_invoice_id: string | null;
  hubspot_line_item_ids: Array<string | null>;
  desired_status: MirrorStatus;
  synced_status: MirrorStatus | null;
  revision: number;
  synced_revision: number;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  locked_until: Date | null;
  updated_at: Date;
}

function toMirror(r: Row): InvoiceMirrorRow {
  return {
    portalId: r.portal_id,
    invoiceId: r.invoice_id,
    hubspotInvoiceId: r.hubspot_invoice_id,
    hubspotLineItemIds: r.hubspot_line_item_ids,
    desiredStatus: r.desired_status,
    syncedStatus: r.synced_status,
    revision: r.revision,
    syncedRevision: r.synced_revision,
    attempts: r.attempts,
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at,
    lockedUntil: r.locked_until,
    updatedAt: r.updated_at,
  };
}

/**
 * SQL of the upsert, shared with the finalize statement (which runs it as a CTE step): a new
 * intent bumps the revision and makes the mirror due now.
 */
export const UPSERT_INTENT_CONFLICT = `ON CONFLICT (portal_id, invoice_id) DO UPDATE
     SET desired_status = EXCLUDED.desired_status,
         revision = invoice_mirrors.revision + 1,
         attempts = 0,
         next_attempt_at = EXCLUDED.next_attempt_at,
         updated_at = EXCLUDED.updated_at`;

/** Records that the invoice's HubSpot mirror should show `status` (inside the caller's transaction). */
export async function upsertMirrorIntent(db: Db, portalId: number, invoiceId: string, status: MirrorStatus, now: Date): Promise<void> {
  await db.raw(
    `INSERT INTO invoice_mirrors (portal_id, invoice_id, desired_status, next_attempt_at, updated_at)
     VALUES (:portalId, :invoiceId, :status, :now, :now)
     ${UPSERT_INTENT_CONFLICT}`,
    { portalId, invoiceId, status, now: now.toISOString() },
  );
}

export async function findMirror(db: Db, portalId: number, invoiceId: string): Promise<InvoiceMirrorRow | null> {
  const row = (await db<Row>('invoice_mirrors').where({ portal_id: portalId, invoice_id: invoiceId }).first()) as Row | undefined;
  return row ? toMirror(row) : null;
}

/**
 * Takes the row's lease until `until` if nobody holds it: one worker per invoice at a time,
 * across processes. Null when the row does not exist or another worker holds it.
 */
export async function claimMirror(db: Db, portalId: number, invoiceId: string, now: Date, until: Date): Promise<InvoiceMirrorRow | null> {
  const [row] = (await db<Row>('invoice_mirrors')
    .where({ portal_id: portalId, invoice_id: invoiceId })
    .andWhere((q) => q.whereNull('locked_until').orWhere('locked_until', '<=', now))
    .update({ locked_until: until })
    .returning('*')) as Row[];
  return row ? toMirror(row) : null;
}

/** Stores HubSpot's invoice id the moment HubSpot created (or a search found) it. */
export async function saveHubSpotInvoiceId(db: Db, portalId: number, invoiceId: string, hubspotInvoiceId: string | null, now: Date): Promise<void> {
  await db('invoice_mirrors')
    .where({ portal_id: portalId, invoice_id: invoiceId })
    .update({
      hubspot_invoice_id: hubspotInvoiceId,
      // A new HubSpot invoice starts over: its lines and status are not there yet.
      ...(hubspotInvoiceId === null ? { hubspot_line_item_ids: JSON.stringify([]), synced_status: null } : {}),
      updated_at: now,
    });
}

/** Stores HubSpot line item ids by position, after each batch HubSpot created. */
export async function saveHubSpotLineItemIds(db: Db, portalId: number, invoiceId: string, ids: Array<string | null>, now: Date): Promise<void> {
  await db('invoice_mirrors')
    .where({ portal_id: portalId, invoice_id: invoiceId })
    .update({ hubspot_line_item_ids: JSON.stringify(ids), updated_at: now });
}

/**
 * Records a successful push of `revision` and releases the lease. The mirror stays due when a
 * newer intent arrived meanwhile.
 */
export async function markSynced(
  db: Db,
  portalId: number,
  invoiceId: string,
  status: MirrorStatus,
  revision: number,
  now: Date,
): Promise<{ stillDue: boolean }> {
  const [row] = (await db<Row>('invoice_mirrors')
    .where({ portal_id: portalId, invoice_id: invoiceId })
    .update({
      synced_status: status,
      synced_revision: revision,
      attempts: 0,
      last_error: null,
      next_attempt_at: db.raw(`CASE WHEN revision > ? THEN ?::timestamptz ELSE NULL END`, [revision, now.toISOString()]),
      locked_until: null,
      updated_at: now,
    })
    .returning(['revision'])) as Array<Pick<Row, 'revision'>>;
  return { stillDue: row !== undefined && row.revision > revision };
}

/**
 * Records a failed attempt and releases the lease. `retryAt` null parks the mirror until a new
 * intent arrives (e.g. nothing in HubSpot to associate as the invoice's contact).
 */
export async function markFailed(
  db: Db,
  portalId: number,
  invoiceId: string,
  failure: { error: string; retryAt: Date | null; revision: number },
  now: Date,
): Promise<void> {
  await db('invoice_mirrors')
    .where({ portal_id: portalId, invoice_id: invoiceId })
    .update({
      attempts: db.raw('attempts + 1'),
      last_error: failure.error.slice(0, 2000),
      // A newer intent that arrived during the attempt is not parked with it.
      next_attempt_at: failure.retryAt ?? db.raw(`CASE WHEN revision > ? THEN ?::timestamptz ELSE NULL END`, [failure.revision, now.toISOString()]),
      locked_until: null,
      updated_at: now,
    });
}

/** Releases the lease when nothing needed doing; the mirror stays due if a new intent arrived. */
export async function releaseMirror(db: Db, portalId: number, invoiceId: string, now: Date): Promise<void> {
  await db('invoice_mirrors')
    .where({ portal_id: portalId, invoice_id: invoiceId })
    .update({
      locked_until: null,
      next_attempt_at: db.raw(`CASE WHEN revision > synced_revision THEN next_attempt_at ELSE NULL END`),
      updated_at: now,
    });
}

/** Mirrors that are due and not leased, oldest first, across portals or in one (the sweep). */
export async function dueMirrors(db: Db, now: Date, limit: number, portalId?: number): Promise<Array<{ portalId: number; invoiceId: string }>> {
  const rows = (await db<Row>('invoice_mirrors')
    .select('portal_id', 'invoice_id')
    .modify((q) => {
      if (portalId !== undefined) q.where('portal_id', portalId);
    })
    .whereNotNull('next_attempt_at')
    .andWhere('next_attempt_at', '<=', now)
    .andWhere((q) => q.whereNull('locked_until').orWhere('locked_until', '<=', now))
    .orderBy('next_attempt_at')
    .limit(limit)) as Array<Pick<Row, 'portal_id' | 'invoice_id'>>;
  return rows.map((r) => ({ portalId: r.portal_id, invoiceId: r.invoice_id }));
}
