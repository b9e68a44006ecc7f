import type { Knex } from 'knex';
import {
  flagDraftsOfSource,
  flagDraftsWithHubSpotLine,
  invoicesReferringToContact,
  removeContactFromDraft,
  type FlaggedDraft,
} from '../db/crm-changes-repo.js';
import { appendEvent } from '../db/events-repo.js';
import { findPortalInstall } from '../db/hubspot-install-repo.js';
import { claimEvent } from '../db/processed-events-repo.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';

/** What a change reported by HubSpot means for invoices (the HubSpot adapter translates its events into this). */
export type CrmChange =
  /** The deal's line items, amount, currency, contacts or companies changed: its drafts are out of date. */
  | { kind: 'deal_changed'; dealId: string }
  /** A line item changed or was deleted: drafts holding a copy of it are out of date. */
  | { kind: 'line_item_changed'; lineItemId: string }
  /** A contact was deleted; `privacy` for HubSpot's GDPR deletion (which also sends a plain deletion). */
  | { kind: 'contact_deleted'; contactId: string; privacy: boolean }
  | { kind: 'none' };

/** One webhook event, reduced to what this use case needs. */
export interface ReceivedCrmEvent {
  /** Key in the processed-event ledger: the same for every delivery of the event. */
  key: string;
  portalId: number;
  /** The vendor's event type, e.g. `deal.propertyChange`. */
  type: string;
  /** The vendor's event id, kept in the audit log entries the event causes. */
  eventId: string;
  change: CrmChange;
}

/** `duplicate`: delivered before; `ignored`: unknown, never installed or uninstalled portal, or nothing to do. */
export type EventOutcome = 'applied' | 'duplicate' | 'ignored';

/**
 * Applies one HubSpot event exactly once: the event is claimed in the processed-event ledger in
 * the same transaction as its effect, so a redelivery changes nothing and a failure leaves it
 * unclaimed for HubSpot's retry. Only drafts change; finalized invoices keep their document and
 * their associations. Events of portals that never installed the app (a portal only an API token
 * created included), or uninstalled it, are ignored, except privacy deletions of uninstalled ones: those apply wherever this service still holds the portal's data.
 */
export async function handleHubSpotEvent(deps: Pick<Deps, 'db' | 'clock'>, event: ReceivedCrmEvent): Promise<EventOutcome> {
  const now = deps.clock();
  return deps.db.transaction(async (trx) => {
    if (!(await claimEvent(trx, { source: 'hubspot', eventId: event.key, portalId: event.portalId, type: event.type }, now))) return 'duplicate';
    const { change } = event;
    if (change.kind === 'none' || !(await acceptsEvent(trx, event.portalId, change))) return 'ignored';
    const actor: Actor = { portalId: event.portalId, userId: null, kind: 'hubspot', scopes: [] };
    const cause = { hubspotEvent: event.type, hubspotEventId: event.eventId };
    switch (change.kind) {
      case 'deal_changed':
        await logNewlyFlagged(trx, actor, await flagDraftsOfSource(trx, event.portalId, { objectType: 'deals', objectId: change.dealId }, now), cause);
        return 'applied';
      case 'line_item_changed':
        await logNewlyFlagged(trx, actor, await flagDraftsWithHubSpotLine(trx, event.portalId, change.lineItemId, now), cause);
        return 'applied';
      case 'contact_deleted':
        await forgetContact(trx, actor, change, cause, now);
        return 'applied';
    }
  });
}

async function acceptsEvent(trx: Knex.Transaction, portalId: number, change: CrmChange): Promise<boolean> {
  const install = await findPortalInstall(trx, portalId);
  // A portal row alone is not an install: an API token creates one too, and HubSpot sends events
  // only for portals that installed the app, so an event for any other is not HubSpot's.
  if (!install || install.installedAt === null) return false;
  return install.status !== 'uninstalled' || (change.kind === 'contact_deleted' && change.privacy);
}

/** One audit entry when a draft becomes "source changed", not one per HubSpot event. */
async function logNewlyFlagged(trx: Knex.Transaction, actor: Actor, drafts: FlaggedDraft[], cause: Record<string, unknown>): Promise<void> {
  for (const draft of drafts) {
    if (draft.newlyFlagged) await appendEvent(trx, actor, draft.id, 'invoice.source_changed', cause);
  }
}

/**
 * Drafts drop the deleted contact from their associations. A plain deletion leaves the billing
 * details alone: they are the draft's own copy, and keeping `billTo.contactId` lets the privacy
 * deletion HubSpot may send next (in either order) still find them. A privacy deletion clears the
 * billing details of drafts billing that contact, so no personal data of theirs stays on a
 * draft; the draft needs a new billing contact before it can be finalized. Finalized invoices are
 * legal documents and keep theirs: they only get an audit entry saying so.
 */
async function forgetContact(
  trx: Knex.Transaction,
  actor: Actor,
  change: Extract<CrmChange, { kind: 'contact_deleted' }>,
  cause: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const { contactId, privacy } = change;
  for (const invoice of await invoicesReferringToContact(trx, actor.portalId, contactId)) {
    if (invoice.status !== 'draft') {
      await appendEvent(trx, actor, invoice.id, 'invoice.contact_retained', { ...cause, contactId });
      continue;
    }
    const clearBillTo = privacy && invoice.billTo?.contactId === contactId;
    await removeContactFromDraft(trx, actor.portalId, invoice.id, contactId, clearBillTo ? null : invoice.billTo, now);
    await appendEvent(trx, actor, invoice.id, 'invoice.contact_removed', { ...cause, contactId, billToCleared: clearBillTo });
  }
}
