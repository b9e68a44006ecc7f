import type { Knex } from 'knex';
import { UPSERT_INTENT_CONFLICT } from '../db/invoice-mirrors-repo.js';
import { findInvoice } from '../db/invoices-repo.js';
import { findSettings } from '../db/portals-repo.js';
import type { Invoice } from '../domain/invoice.js';
import { assertFinalizable } from '../domain/lifecycle.js';
import { MAX_INVOICE_NUMBER } from '../domain/numbering.js';
import type { PortalSettings } from '../domain/settings.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound, ruleBroken } from './errors.js';
import { nudgeInvoiceMirror } from './invoice-mirror-nudge.js';
import { recordIssuedPdf } from './invoice-pdf.js';
import { invoicesFinalized } from '../observability/metrics.js';

/**
 * Finalizes a draft: checks it, snapshots the document, and takes the next number from the
 * portal's counter row. The counter is bumped in the very last statement, together with the
 * invoice update and the audit entry, so the row lock that serializes a portal's finalizations
 * is held for one round trip plus the commit. A failure anywhere rolls the number back: no gaps.
 * The same statement records the intent to mirror the invoice into HubSpot (invoice_mirrors), so
 * the mirror commits with the number; the job queue is nudged after commit. Then the PDF is
 * rendered and its fingerprint stored (invoice_documents).
 */
export async function finalizeInvoice(
  deps: Pick<Deps, 'db' | 'clock'> & Partial<Pick<Deps, 'jobs' | 'logger'>>,
  actor: Actor,
  id: string,
): Promise<Invoice> {
  const invoice = await deps.db.transaction<Invoice>(async (trx) => {
    const draft = await findInvoice(trx, actor.portalId, id, { forUpdate: true });
    if (!draft) throw notFound('Invoice');
    assertFinalizable({ status: draft.status, lineCount: draft.lineItems.length, billTo: draft.billTo, total: draft.totals.total });
    const settings = (await findSettings(trx, actor.portalId))!;
    const now = deps.clock();
    const taken = await takeNumber(trx, actor, draft, documentSnapshot(draft, settings), now);
    // Built from what we hold rather than read back: the counter row stays locked until commit.
    return { ...draft, status: 'open', number: taken.number, version: taken.version, snapshot: taken.snapshot, finalizedAt: now };
  });
  invoicesFinalized.inc();
  nudgeInvoiceMirror(deps, { portalId: actor.portalId, invoiceId: invoice.id });
  // The PDF's SHA-256 is stored after commit, not in the numbering statement: rendering takes
  // milliseconds and the counter row must stay locked for one round trip only.
  await recordIssuedPdf(deps, invoice);
  return invoice;
}

interface TakenNumber {
  number: string;
  version: number;
  snapshot: unknown;
}

async function takeNumber(trx: Knex.Transaction, actor: Actor, draft: Invoice, snapshot: object, now: Date): Promise<TakenNumber> {
  const result = await trx.raw(
    `WITH counter AS (
       UPDATE portal_settings SET next_number = next_number + 1
        WHERE portal_id = :portalId AND next_number <= :maxNumber
       RETURNING number_prefix, next_number - 1 AS seq
     ), finalized AS (
       UPDATE invoices i
          SET status = 'open',
              number = c.number_prefix || '-' || c.seq,
              number_prefix = c.number_prefix,
              number_seq = c.seq,
              finalized_at = :now,
              updated_at = :now,
              version = i.version + 1,
              snapshot = jsonb_set(CAST(:snapshot AS jsonb), '{number}', to_jsonb(c.number_prefix || '-' || c.seq))
         FROM counter c
        WHERE i.portal_id = :portalId AND i.id = :id AND i.status = 'draft'
       RETURNING i.id, i.number, i.version, i.snapshot
     ), logged AS (
       INSERT INTO invoice_events (portal_id, invoice_id, type, actor_type, actor_id, data)
       SELECT :portalId, f.id, 'invoice.finalized', :actorType, :actorId, jsonb_build_object('number', f.number)
         FROM finalized f
     ), mirrored AS (
       INSERT INTO invoice_mirrors (portal_id, invoice_id, desired_status, next_attempt_at, updated_at)
       SELECT :portalId, f.id, 'open', :now, :now
         FROM finalized f
       ${UPSERT_INTENT_CONFLICT}
     )
     SELECT number, version, snapshot FROM finalized`,
    {
      portalId: actor.portalId,
      id: draft.id,
      now: now.toISOString(),
      snapshot: JSON.stringify(snapshot),
      actorType: actor.kind,
      actorId: actor.userId,
      maxNumber: MAX_INVOICE_NUMBER,
    },
  );
  const row = (result.rows as TakenNumber[])[0];
  // The invoice row is locked and still a draft, so only a used-up counter leaves nothing updated.
  if (!row) {
    throw ruleBroken('numbering_exhausted', `Every invoice number up to ${MAX_INVOICE_NUMBER} has been used with this prefix: choose a new prefix in settings`);
  }
  return row;
}

/**
 * The document as finalized: brand, buyer, lines and totals frozen, so a later logo or address
 * change never alters an issued invoice. The number is filled in by the finalize statement.
 */
function documentSnapshot(draft: Invoice, settings: PortalSettings): object {
  return {
    number: null,
    seller: { brand: settings.brand, portalId: settings.portalId },
    billTo: draft.billTo,
    currency: draft.currency,
    invoiceDate: draft.invoiceDate,
    dueDate: draft.dueDate,
    paymentTerms: draft.paymentTerms,
    lineItems: draft.lineItems.map((line, i) => ({ ...line, ...draft.totals.lines[i] })),
    adjustments: draft.adjustments.map((adj, i) => ({ ...adj, ...draft.totals.adjustments[i] })),
    totals: {
      subtotal: draft.totals.subtotal,
      discountTotal: draft.totals.discountTotal,
      feeTotal: draft.totals.feeTotal,
      taxTotal: draft.totals.taxTotal,
      total: draft.totals.total,
    },
    roundingRule: draft.roundingRule,
    buyerComments: draft.buyerComments,
    domain: draft.domain,
    paymentMethods: draft.paymentMethods,
  };
}
