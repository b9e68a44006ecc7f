import { associationType } from './association-types.js';
import { validationError } from './errors.js';
import { OBJECT_TYPES, type CrmObjectType } from './object-types.js';
import { compareIds, type AssociationLink, type SandboxRecord, type SandboxStore } from './store.js';

/** HubSpot pages association lists at 100 records per object. */
export const ASSOCIATION_PAGE_SIZE = 100;

/** `SimplePublicObject` as HubSpot serialises it. */
export interface PublicObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  associations?: Record<string, { results: Array<{ id: string; type: string }>; paging?: Paging }>;
}

export interface Paging {
  next: { after: string; link?: string };
}

/**
 * The properties HubSpot returns: the requested ones that exist on the type (unset ones as
 * `null`; unknown names are left out), or the type's defaults when none were requested, plus
 * hs_object_id and the two timestamps, which are always there.
 */
export function selectProperties(
  store: SandboxStore,
  hubId: number,
  record: SandboxRecord,
  requested: readonly string[] | undefined,
  onlyStored = false,
): Record<string, string | null> {
  const info = OBJECT_TYPES[record.type];
  const derived: Record<string, string> = {
    [info.createdProp]: record.createdAt,
    hs_object_id: record.id,
    [info.modifiedProp]: record.updatedAt,
  };
  const names = onlyStored
    ? Object.keys(record.properties)
    : requested && requested.length > 0
      ? requested.filter((n) => store.isKnownProperty(hubId, record.type, n))
      : info.defaultProperties;
  const out: Record<string, string | null> = {};
  for (const n of [...names, ...Object.keys(derived)].sort()) out[n] = derived[n] ?? record.properties[n] ?? null;
  return out;
}

export function presentRecord(
  store: SandboxStore,
  hubId: number,
  record: SandboxRecord,
  requested: readonly string[] | undefined,
  onlyStored = false,
): PublicObject {
  return {
    id: record.id,
    properties: selectProperties(store, hubId, record, requested, onlyStored),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: record.archived,
    ...(record.archivedAt ? { archivedAt: record.archivedAt } : {}),
  };
}

/**
 * One page of a record's associations to a type. `after` is HubSpot-style opaque: base64 of
 * `<to type id>-<last id>`, URL-encoded (HubSpot's tokens carry `%3D` in the JSON too).
 */
export function associationPage(
  links: AssociationLink[],
  toType: CrmObjectType,
  after: string | undefined,
  pageSize = ASSOCIATION_PAGE_SIZE,
): { page: AssociationLink[]; nextAfter?: string } {
  let start = 0;
  if (after) {
    const lastId = decodeAfter(after, toType);
    start = links.findIndex((l) => compareIds(l.toId, lastId) > 0);
    if (start < 0) start = links.length;
  }
  const page = links.slice(start, start + pageSize);
  const last = page[page.length - 1];
  const more = start + pageSize < links.length;
  return more && last ? { page, nextAfter: encodeAfter(toType, last.toId) } : { page };
}

function encodeAfter(toType: CrmObjectType, lastId: string): string {
  return encodeURIComponent(Buffer.from(`${OBJECT_TYPES[toType].typeId}-${lastId}`).toString('base64'));
}

function decodeAfter(after: string, toType: CrmObjectType): string {
  let raw = after;
  try {
    raw = decodeURIComponent(after);
  } catch {
    // keep as given
  }
  const text = Buffer.from(raw, 'base64').toString('utf8');
  const prefix = `${OBJECT_TYPES[toType].typeId}-`;
  const lastId = text.startsWith(prefix) ? text.slice(prefix.length) : '';
  if (lastId === '') throw validationError(`Invalid paging token: ${after}`);
  return lastId;
}

/** v3 association entries: one `{id, type}` per association type, as HubSpot lists them. */
export function v3AssociationResults(page: AssociationLink[]): Array<{ id: string; type: string }> {
  return page.flatMap((l) =>
    // Labeled (primary) first, as HubSpot lists `deal_to_company` before `deal_to_company_unlabeled`.
    [...l.typeIds]
      .sort((a, b) => Number(associationType(b)?.label !== null) - Number(associationType(a)?.label !== null) || a - b)
      .map((t) => ({ id: l.toId, type: associationType(t)?.name ?? String(t) })),
  );
}

/**
 * v4 association entries: numeric `toObjectId` (HubSpot sends a number there, a string in
 * `from.id`). A non-numeric id, possible only in a hand-made seed, stays a string.
 */
export function v4AssociationResults(
  page: AssociationLink[],
): Array<{ toObjectId: number | string; associationTypes: Array<{ category: string; typeId: number; label: string | null }> }> {
  return page.map((l) => ({
    toObjectId: /^\d+$/.test(l.toId) ? Number(l.toId) : l.toId,
    associationTypes: l.typeIds.map((t) => ({ category: 'HUBSPOT_DEFINED', typeId: t, label: associationType(t)?.label ?? null })),
  }));
}
