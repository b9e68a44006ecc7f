/**
 * The HubSpot mirror job: brings an invoice's HubSpot copy in step with the invoice, one invoice
 * per run, and records how far it got after every step so a retry redoes only what is missing.
 *
 * Steps, each skipped when already done:
 * 1. Find or create the HubSpot invoice (a draft stamped with our invoice id). The id is stored at
 *    once; for the window between HubSpot's answer and that write, the next run searches by stamp
 *    before creating, so retries never make a second invoice.
 * 2. Copy our lines into new HubSpot line items (batches of 100, each associated with the invoice,
 *    stamped with the line position); ids are stored after each batch. Before creating, the run
 *    lists the invoice's line items and adopts any it has not stored, so none is created twice.
 * 3. First time only: associate contact, companies, deals and quotes. An invoice without a HubSpot
 *    contact gets its billing contact by email, created in HubSpot when it has none, so every
 *    finalized invoice is mirrored.
 * 4. Push status and amounts (HubSpot `open` / `voided`; our paid status and balance travel in the
 *    app's invoice properties because HubSpot's `paid` cannot be set through the API). The copy is
 *    non-billable: HubSpot never asks the buyer to pay it.
 *
 * One worker at a time per invoice (a lease on the row). Failures are recorded on the row
 * (attempts, last error, next attempt with backoff) and rethrown for the queue to retry; a portal
 * whose HubSpot grant is gone is parked for hours instead, and an invoice with neither a HubSpot
 * contact nor a billing email is parked until a new intent (HubSpot cannot open it).
 */
import { appendEvent } from '../db/events-repo.js';
import {
  claimMirror,
  dueMirrors,
  findMirror,
  markFailed,
  markSynced,
  releaseMirror,
  saveHubSpotInvoiceId,
  saveHubSpotLineItemIds,
  type InvoiceMirrorRow,
} from '../db/invoice-mirrors-repo.js';
import { findInvoice } from '../db/invoices-repo.js';
import { findSettings } from '../db/portals-repo.js';
import type { MirrorStatus } from '../domain/crm.js';
import type { InvoiceMirrorPort, MirrorBuyer, MirrorInvoice, MirrorLine, MirrorState } from './ports/invoice-mirror.js';
import { startOfDayIn } from '../domain/dates.js';
import { DomainError } from '../domain/errors.js';
import { balanceDue, hostedUrl, type Invoice } from '../domain/invoice.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { INVOICE_MIRROR_JOB, mirrorJobKey, type InvoiceMirrorJob } from './invoice-mirror-nudge.js';
import type { JobQueue } from './ports/job-queue.js';

export type MirrorDeps = Pick<Deps, 'db' | 'clock' | 'logger' | 'config'> & { mirror: InvoiceMirrorPort };

/** How long a worker may hold an invoice's mirror before another may take over. */
export const MIRROR_LEASE_MS = 10 * 60_000;
/** Backoff of failed attempts: 30 s doubling, at most 6 hours. */
export function mirrorRetryDelayMs(attempt: number): number {
  return Math.min(6 * 3600_000, 30_000 * 2 ** Math.max(0, attempt - 1));
}
/** A portal without a usable HubSpot grant is retried this much later. */
export const MIRROR_PARK_MS = 6 * 3600_000;
/** New intents arriving during a run are pushed by the same run, this many times at most. */
const MAX_ROUNDS = 3;

const PARKING_CODES: ReadonlySet<string> = new Set(['portal_not_installed', 'hubspot_reauth_required']);

export type MirrorOutcome =
  /** HubSpot now shows the invoice's latest intent. */
  | 'synced'
  /** Nothing was due. */
  | 'up_to_date'
  /** No mirror row: the invoice was never finalized, or the transaction that wrote it rolled back. */
  | 'no_mirror'
  /** Cannot proceed for now (no HubSpot contact, grant gone); recorded on the row. */
  | 'parked';

/** Another worker holds the invoice's lease: the queue retries this job later. */
export class MirrorBusyError extends Error {
  constructor(job: InvoiceMirrorJob) {
    super(`the HubSpot mirror of invoice ${job.invoiceId} is being synced by another worker`);
    this.name = 'MirrorBusyError';
  }
}

function systemActor(portalId: number): Actor {
  return { portalId, userId: null, kind: 'system', scopes: [] };
}

/** The job handler: mirrors one invoice (see the file comment). */
export async function syncInvoiceMirror(deps: MirrorDeps, job: InvoiceMirrorJob): Promise<MirrorOutcome> {
  const { portalId, invoiceId } = job;
  const claim = async () => {
    const now = deps.clock();
    return claimMirror(deps.db, portalId, invoiceId, now, new Date(now.getTime() + MIRROR_LEASE_MS));
  };
  let row = await claim();
  if (!row) {
    if (!(await findMirror(deps.db, portalId, invoiceId))) return 'no_mirror';
    throw new MirrorBusyError(job);
  }
  for (let round = 1; ; round += 1) {
    if (row.syncedRevision >= row.revision) {
      await releaseMirror(deps.db, portalId, invoiceId, deps.clock());
      return round === 1 ? 'up_to_date' : 'synced';
    }
    const current: InvoiceMirrorRow = row;
    let pushed: Pushed;
    try {
      pushed = await pushOnce(deps, current);
    } catch (err) {
      return recordFailure(deps, current, err);
    }
    if ('parked' in pushed) {
      await markFailed(deps.db, portalId, invoiceId, { error: pushed.parked, retryAt: null, revision: current.revision }, deps.clock());
      deps.logger.warn({ portalId, invoiceId, reason: pushed.parked }, 'HubSpot mirror parked');
      return 'parked';
    }
    const stillDue = await deps.db.transaction(async (trx) => {
      const now = deps.clock();
      const result = await markSynced(trx, portalId, invoiceId, pushed.status, current.revision, now);
      await appendEvent(trx, systemActor(portalId), invoiceId, 'invoice.mirrored', {
        hubspotInvoiceId: pushed.hubspotInvoiceId,
        status: pushed.status,
        hubspotStatus: pushed.hubspotStatus,
        lineItems: pushed.lineItems,
        ...(pushed.created ? { created: true } : {}),
        ...(pushed.missingAssociations.length > 0 ? { missingAssociations: pushed.missingAssociations } : {}),
        ...(pushed.contact !== 'associated' ? { contact: pushed.contact } : {}),
      });
      return result.stillDue;
    });
    // markSynced released the lease. A mirror still due after MAX_ROUNDS, or taken by another
    // worker meanwhile, is left to the queue and the sweep: the row says it is due.
    if (!stillDue || round >= MAX_ROUNDS) return 'synced';
    const next = await claim();
    if (!next) return 'synced';
    row = next;
  }
}

type Pushed =
  | { parked: string }
  | {
      status: MirrorStatus;
      hubspotStatus: string;
      hubspotInvoiceId: string;
      created: boolean;
      lineItems: number;
      missingAssociations: string[];
      /** How the contact was had: the invoice's own, or found / created by the billing email. */
      contact: 'associated' | 'found_by_email' | 'created';
    };

async function pushOnce(deps: MirrorDeps, row: InvoiceMirrorRow): Promise<Pushed> {
  const { portalId, invoiceId } = row;
  const invoice = await findInvoice(deps.db, portalId, invoiceId);
  if (!invoice || invoice.status === 'draft' || invoice.number === null) {
    return { parked: `invoice ${invoiceId} is not finalized: nothing to mirror` };
  }
  const knownContactId = billingContactId(invoice);
  const buyer = knownContactId ? null : mirrorBuyer(invoice);
  if (!knownContactId && !buyer) {
    return {
      parked:
        'The invoice has neither a HubSpot contact nor a billing email: HubSpot opens an invoice only with exactly one associated contact, and without an email no contact can be found or created',
    };
  }
  const settings = await findSettings(deps.db, portalId);
  const timeZone = settings?.timeZone ?? 'UTC';
  const state: MirrorState = {
    status: invoice.status,
    currency: invoice.currency,
    total: invoice.totals.total,
    amountPaid: invoice.amountPaid,
    balanceDue: balanceDue(invoice),
  };
  const fixed: MirrorInvoice = {
    invoiceId,
    number: invoice.number,
    currency: invoice.currency,
    invoiceDateStart: startOfDayIn(invoice.invoiceDate, timeZone),
    dueDateStart: startOfDayIn(invoice.dueDate, timeZone),
    comments: invoice.buyerComments,
    taxTotal: invoice.totals.taxTotal,
    hostedUrl: hostedUrl(invoice, deps.config.publicBaseUrl),
  };

  // 1. The HubSpot invoice.
  let hubspotInvoiceId = row.hubspotInvoiceId;
  let created = false;
  if (!hubspotInvoiceId) {
    hubspotInvoiceId = await deps.mirror.findInvoice(portalId, invoiceId);
    if (!hubspotInvoiceId) {
      hubspotInvoiceId = await deps.mirror.createInvoice(portalId, fixed, state);
      created = true;
    }
    await saveHubSpotInvoiceId(deps.db, portalId, invoiceId, hubspotInvoiceId, deps.clock());
  }

  // 2. Its line items.
  const lineIds = await ensureLineItems(deps, row, hubspotInvoiceId, invoice);

  // 3. Associations, until the first status push (PUTs are idempotent, so a retry may redo them).
  let missingAssociations: string[] = [];
  let contact: Extract<Pushed, { status: MirrorStatus }>['contact'] = 'associated';
  if (row.syncedStatus === null || row.hubspotInvoiceId !== hubspotInvoiceId) {
    // No HubSpot contact on the invoice: the billing contact by email, created when HubSpot has none.
    let contactId = knownContactId;
    if (!contactId && buyer) {
      const resolved = await deps.mirror.ensureContact(portalId, buyer);
      contactId = resolved.id;
      contact = resolved.created ? 'created' : 'found_by_email';
    }
    if (!contactId) throw new Error('unreachable: a mirror without contact and buyer was parked above');
    ({ missing: missingAssociations } = await deps.mirror.associate(portalId, hubspotInvoiceId, {
      contactId,
      companyIds: invoice.associations.companies,
      dealIds: invoice.associations.deals,
      quoteIds: invoice.associations.quotes,
    }));
    if (missingAssociations.includes(`contacts/${contactId}`)) {
      return { parked: `HubSpot no longer has contact ${contactId}: HubSpot opens an invoice only with exactly one associated contact` };
    }
  }

  // 4. Status and amounts. HubSpot voids open invoices: a never-opened mirror opens first.
  const neverOpened = row.syncedStatus === null || row.hubspotInvoiceId !== hubspotInvoiceId;
  const steps: MirrorState[] = neverOpened && state.status === 'void' ? [{ ...state, status: 'open' }, state] : [state];
  for (const step of steps) {
    if ((await deps.mirror.setState(portalId, hubspotInvoiceId, step)) === 'not_found') {
      // Deleted in HubSpot: forget it, so the next attempt creates the invoice again.
      await saveHubSpotInvoiceId(deps.db, portalId, invoiceId, null, deps.clock());
      throw new DomainError('upstream_error', `HubSpot invoice ${hubspotInvoiceId} no longer exists in HubSpot; it will be created again`);
    }
  }
  return {
    status: state.status,
    hubspotStatus: state.status === 'void' ? 'voided' : 'open',
    hubspotInvoiceId,
    created,
    lineItems: lineIds.length,
    missingAssociations,
    contact,
  };
}

/** HubSpot line item ids by position, creating what is missing (see step 2). */
async function ensureLineItems(deps: MirrorDeps, row: InvoiceMirrorRow, hubspotInvoiceId: string, invoice: Invoice): Promise<string[]> {
  const { portalId, invoiceId } = row;
  const lines = mirrorLines(invoice);
  // Ids stored for another HubSpot invoice (one deleted in HubSpot) do not count.
  const stored = row.hubspotInvoiceId === hubspotInvoiceId ? row.hubspotLineItemIds : [];
  const ids: Array<string | null> = lines.map((l) => stored[l.position] ?? null);
  if (ids.every((id) => id !== null)) return ids as string[];

  // The crash window: HubSpot may hold line items from a batch whose ids were never stored.
  const known = new Set(ids.filter((id): id is string => id !== null));
  let adopted = 0;
  for (const existing of await deps.mirror.listLineItems(portalId, hubspotInvoiceId)) {
    const p = existing.position;
    if (p !== null && p < ids.length && ids[p] === null && !known.has(existing.id)) {
      ids[p] = existing.id;
      known.add(existing.id);
      adopted += 1;
    }
  }
  if (adopted > 0) {
    deps.logger.info({ portalId, invoiceId, hubspotInvoiceId, adopted }, 'adopted HubSpot line items created by an earlier attempt');
    await saveHubSpotLineItemIds(deps.db, portalId, invoiceId, ids, deps.clock());
  }

  const missing = lines.filter((l) => ids[l.position] === null);
  for (let i = 0; i < missing.length; i += deps.mirror.lineItemBatchSize) {
    const batch = missing.slice(i, i + deps.mirror.lineItemBatchSize);
    for (const made of await deps.mirror.createLineItems(portalId, hubspotInvoiceId, invoice.currency, batch)) ids[made.position] = made.id;
    await saveHubSpotLineItemIds(deps.db, portalId, invoiceId, ids, deps.clock());
  }
  return ids as string[];
}

/** Our lines as the mirror copies them. A fixed discount is the amount the totals applied. */
function mirrorLines(invoice: Invoice): MirrorLine[] {
  return invoice.lineItems.map((line, position) => ({
    position,
    name: line.name,
    description: line.description,
    sku: line.sku,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    discount:
      line.discount === null
        ? null
        : line.discount.type === 'percent'
          ? { type: 'percent', percent: line.discount.value }
          : { type: 'amount', amount: invoice.totals.lines[position]?.discountAmount ?? 0 },
    taxRate: line.taxRate,
  }));
}

/** The one contact HubSpot associates: the billing contact, else the first associated contact. */
function billingContactId(invoice: Invoice): string | null {
  const fromBillTo = invoice.billTo?.contactId;
  if (fromBillTo && /^[0-9]{1,20}$/.test(fromBillTo)) return fromBillTo;
  return invoice.associations.contacts[0] ?? null;
}

/** The billing contact by email, for an invoice without a HubSpot contact id. */
function mirrorBuyer(invoice: Invoice): MirrorBuyer | null {
  const email = invoice.billTo?.email?.trim();
  if (!email) return null;
  return { email, name: invoice.billTo?.name ?? null, companyName: invoice.billTo?.companyName ?? null };
}

/** Records a failed attempt; rethrows unless the portal is parked (its grant is gone). */
async function recordFailure(deps: MirrorDeps, row: InvoiceMirrorRow, err: unknown): Promise<MirrorOutcome> {
  const now = deps.clock();
  const message = err instanceof Error ? err.message : String(err);
  const parked = err instanceof DomainError && PARKING_CODES.has(err.code);
  const retryAt = new Date(now.getTime() + (parked ? MIRROR_PARK_MS : mirrorRetryDelayMs(row.attempts + 1)));
  await markFailed(deps.db, row.portalId, row.invoiceId, { error: message, retryAt, revision: row.revision }, now);
  deps.logger.warn({ portalId: row.portalId, invoiceId: row.invoiceId, attempt: row.attempts + 1, err: message, retryAt }, 'HubSpot mirror attempt failed');
  if (parked) return 'parked';
  throw err;
}

/**
 * Enqueues every mirror that is due and not leased (lost nudges, failed attempts whose backoff
 * ran out, crashes), or only one portal's; returns how many. Run periodically by every process: the queue collapses
 * duplicates per invoice, and the lease keeps two workers apart.
 */
export async function sweepInvoiceMirrors(
  deps: Pick<Deps, 'db' | 'clock'> & { jobs: JobQueue },
  opts: { limit?: number; portalId?: number } = {},
): Promise<number> {
  const due = await dueMirrors(deps.db, deps.clock(), opts.limit ?? 500, opts.portalId);
  for (const job of due) await deps.jobs.enqueue(INVOICE_MIRROR_JOB, job, { singletonKey: mirrorJobKey(job) });
  return due.length;
}
