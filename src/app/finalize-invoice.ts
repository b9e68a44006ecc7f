import { findInvoice } from '../db/invoices-repo.js';
import { takeNextNumber } from '../db/numbering-repo.js';
import type { Invoice } from '../domain/invoice.js';
import { assertFinalizable } from '../domain/lifecycle.js';
import { MAX_INVOICE_NUMBER } from '../domain/numbering.js';
import type { PortalSettings } from '../domain/settings.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound, ruleBroken } from './errors.js';
import { nudgeInvoiceMirror } from './invoice-mirror-nudge.js';
import { recordIssuedPdf } from './invoice-pdf.js';
import { settingsOf, withToday, type InvoiceToday } from './invoice-today.js';
import { nothingToPrepare, runCommand, type CommandRun } from './unit-of-work.js';
import { invoicesFinalized } from '../observability/metrics.js';

/**
 * Finalizes a draft: checks it, snapshots the document, and takes the next number from the
 * portal's counter row in one statement (`takeNextNumber`), which also writes the audit entry and
 * the intent to mirror the invoice into HubSpot (invoice_mirrors). The counter row lock that
 * serializes a portal's finalizations is held for that statement plus the commit (under an
 * Idempotency-Key also the key's response write), never while the PDF renders. A failure
 * anywhere rolls the number back: no gaps.
 *
 * After commit: the metric, the mirror job nudge, and the PDF render whose fingerprint is stored
 * (invoice_documents). The database trigger `invoices_emit_webhook_events` writes the
 * `invoice.finalized` outbound webhook event when the status moves to open.
 */
export async function finalizeInvoice(
  deps: Pick<Deps, 'db' | 'clock'> & Partial<Pick<Deps, 'jobs' | 'logger' | 'renderPdf'>>,
  actor: Actor,
  id: string,
  run: CommandRun<InvoiceToday> = {},
): Promise<InvoiceToday> {
  return runCommand(deps, run, nothingToPrepare, async (uow) => {
    const trx = uow.trx;
    const draft = await findInvoice(trx, actor.portalId, id, { forUpdate: true });
    if (!draft) throw notFound('Invoice');
    assertFinalizable({ status: draft.status, lineCount: draft.lineItems.length, billTo: draft.billTo, total: draft.totals.total });
    const settings = await settingsOf(trx, actor.portalId);
    const now = deps.clock();
    const taken = await takeNextNumber(trx, {
      portalId: actor.portalId,
      invoiceId: draft.id,
      snapshot: documentSnapshot(draft, settings),
      actorType: actor.kind,
      actorId: actor.userId,
      now,
      maxNumber: MAX_INVOICE_NUMBER,
    });
    // The invoice row is locked and still a draft, so only a used-up counter leaves nothing updated.
    if (!taken) {
      throw ruleBroken(
        'numbering_exhausted',
        `Every invoice number up to ${MAX_INVOICE_NUMBER} has been used with this prefix: choose a new prefix in settings`,
      );
    }
    // Built from what we hold rather than read back: the counter row stays locked until commit.
    const invoice: Invoice = { ...draft, status: 'open', number: taken.number, version: taken.version, snapshot: taken.snapshot, finalizedAt: now };
    uow.afterCommit(() => invoicesFinalized.inc());
    uow.afterCommit(() => nudgeInvoiceMirror(deps, { portalId: actor.portalId, invoiceId: invoice.id }));
    // Rendering takes milliseconds: after commit, so the counter row is never locked meanwhile.
    uow.afterCommit(() => recordIssuedPdf(deps, invoice));
    return withToday(invoice, settings, now);
  });
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
