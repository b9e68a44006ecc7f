import type { CrmChange, ReceivedCrmEvent } from '../../app/handle-hubspot-event.js';

/**
 * HubSpot webhook events (Webhooks API, legacy `deal.propertyChange` style and the generic
 * `object.*` style with `objectTypeId`), as validated at the edge, translated into what they mean
 * for invoices. Ids are decimal strings whatever HubSpot sent.
 */
export interface HubSpotWebhookEvent {
  eventId: string;
  subscriptionId: string;
  portalId: number;
  /** When the change happened in HubSpot (ms). */
  occurredAt: number;
  subscriptionType: string;
  objectId?: string | undefined;
  /** Generic `object.*` events name the object type with its id, e.g. `0-3` for deals. */
  objectTypeId?: string | undefined;
  propertyName?: string | undefined;
  /** Association changes: legacy events name both ends in `associationType` (`DEAL_TO_LINE_ITEM`), generic ones in the type ids. */
  fromObjectId?: string | undefined;
  toObjectId?: string | undefined;
  associationType?: string | undefined;
  fromObjectTypeId?: string | undefined;
  toObjectTypeId?: string | undefined;
}

type Kind = 'contact' | 'company' | 'deal' | 'line_item';

/** HubSpot's ids of standard object types, as generic `object.*` events carry them. */
const KIND_BY_TYPE_ID: Record<string, Kind> = { '0-1': 'contact', '0-2': 'company', '0-3': 'deal', '0-8': 'line_item' };
const KIND_BY_ASSOCIATION_NAME: Record<string, Kind> = { CONTACT: 'contact', COMPANY: 'company', DEAL: 'deal', LINE_ITEM: 'line_item' };

/**
 * Deal properties whose change means a draft copied from the deal may be out of date: the amount
 * (HubSpot recomputes it when line items change), the currency (a resync copies it) and the
 * contract values HubSpot derives from the line items.
 */
export const DEAL_CONTENT_PROPERTIES: ReadonlySet<string> = new Set(['amount', 'deal_currency_code', 'hs_acv', 'hs_arr', 'hs_mrr', 'hs_tcv']);

/** Association changes between a deal and one of these mean a resync would copy something else. */
const DEAL_PARTS: ReadonlySet<Kind> = new Set(['line_item', 'contact', 'company']);

/**
 * The event's key in the processed-event ledger. HubSpot says `eventId` "is not guaranteed to be
 * unique", so the key also holds the portal, the subscription and the instant; a redelivery
 * (same event, higher `attemptNumber`) has the same key.
 */
export function eventKey(e: HubSpotWebhookEvent): string {
  return `${e.portalId}:${e.subscriptionId}:${e.eventId}:${e.occurredAt}`;
}

/** The event as the use case takes it. */
export function receivedEvent(e: HubSpotWebhookEvent): ReceivedCrmEvent {
  return { key: eventKey(e), portalId: e.portalId, type: e.subscriptionType, eventId: e.eventId, change: crmChangeOf(e) };
}

/** What the event means for invoices; `none` for everything this service does not act on. */
export function crmChangeOf(e: HubSpotWebhookEvent): CrmChange {
  const [prefix, action] = splitType(e.subscriptionType);
  const kind = prefix === 'object' ? KIND_BY_TYPE_ID[e.objectTypeId ?? ''] : (prefix as Kind);
  if (action === 'associationChange') return associationChange(e);
  if (!e.objectId) return { kind: 'none' };
  if (kind === 'deal' && action === 'propertyChange' && DEAL_CONTENT_PROPERTIES.has(e.propertyName ?? '')) {
    return { kind: 'deal_changed', dealId: e.objectId };
  }
  if (kind === 'line_item' && (action === 'propertyChange' || action === 'deletion')) return { kind: 'line_item_changed', lineItemId: e.objectId };
  if (kind === 'contact' && action === 'deletion') return { kind: 'contact_deleted', contactId: e.objectId, privacy: false };
  // Only the legacy name exists for this one: generic subscriptions do not offer privacy deletions.
  if (e.subscriptionType === 'contact.privacyDeletion') return { kind: 'contact_deleted', contactId: e.objectId, privacy: true };
  return { kind: 'none' };
}

function associationChange(e: HubSpotWebhookEvent): CrmChange {
  const ends = associationEnds(e);
  if (!ends || !e.fromObjectId || !e.toObjectId) return { kind: 'none' };
  const [from, to] = ends;
  if (from === 'deal' && DEAL_PARTS.has(to)) return { kind: 'deal_changed', dealId: e.fromObjectId };
  if (to === 'deal' && DEAL_PARTS.has(from)) return { kind: 'deal_changed', dealId: e.toObjectId };
  return { kind: 'none' };
}

function associationEnds(e: HubSpotWebhookEvent): [Kind, Kind] | null {
  const names = (e.associationType ?? '').split('_TO_');
  if (names.length === 2) {
    const [from, to] = [KIND_BY_ASSOCIATION_NAME[names[0]!], KIND_BY_ASSOCIATION_NAME[names[1]!]];
    if (from && to) return [from, to];
  }
  const [from, to] = [KIND_BY_TYPE_ID[e.fromObjectTypeId ?? ''], KIND_BY_TYPE_ID[e.toObjectTypeId ?? '']];
  return from && to ? [from, to] : null;
}

function splitType(subscriptionType: string): [string, string] {
  const dot = subscriptionType.indexOf('.');
  return dot < 0 ? [subscriptionType, ''] : [subscriptionType.slice(0, dot), subscriptionType.slice(dot + 1)];
}
