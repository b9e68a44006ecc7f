/**
 * The one place that chooses which HubSpot API version this service speaks, and builds every
 * HubSpot path from it. HubSpot's date-based versions put the version after the API name:
 * `/crm/objects/2026-03/contacts` (developers.hubspot.com/docs/api-reference/2026-03/overview).
 *
 * 2026-03 is the newest date version that is generally available and covers every call the
 * service makes (CRM objects, associations, properties, owners, settings users, OAuth token,
 * introspection and revocation); 2026-09 exists only as a beta for some APIs. Moving to a newer
 * version means changing HUBSPOT_API_VERSION and checking the calls listed in docs/hubspot.md.
 *
 * Callers pass raw ids and names; each segment is URL-encoded here.
 */

/** HubSpot's date version used by every call (see the file comment). */
export const HUBSPOT_API_VERSION = '2026-03';

const seg = (s: string): string => encodeURIComponent(s);
const join = (...segments: string[]): string => segments.map(seg).join('/');

/** Paths of HubSpot's date-versioned APIs. */
export const hubspotPaths = {
  /** CRM objects: `/crm/objects/{v}/{type}[/{id}]`, `.../batch/read`, `.../search`, `.../batch/create`. */
  objects: (objectType: string, ...rest: string[]): string => `/crm/objects/${HUBSPOT_API_VERSION}/${join(objectType, ...rest)}`,
  /** Associations of one record: `/crm/objects/{v}/{from}/{id}/associations/{to}` (list). */
  recordAssociations: (fromType: string, fromId: string, toType: string): string =>
    `/crm/objects/${HUBSPOT_API_VERSION}/${join(fromType, fromId)}/associations/${seg(toType)}`,
  /** Default association: `PUT /crm/objects/{v}/{from}/{id}/associations/default/{to}/{toId}`. */
  defaultAssociation: (fromType: string, fromId: string, toType: string, toId: string): string =>
    `/crm/objects/${HUBSPOT_API_VERSION}/${join(fromType, fromId)}/associations/default/${join(toType, toId)}`,
  /** Associations batch: `/crm/associations/{v}/{from}/{to}/batch/read`. */
  associationsBatchRead: (fromType: string, toType: string): string => `/crm/associations/${HUBSPOT_API_VERSION}/${join(fromType, toType)}/batch/read`,
  /** Association types of a pair (the schema, "labels"): `/crm/associations/{v}/{from}/{to}/labels`. */
  associationLabels: (fromType: string, toType: string): string => `/crm/associations/${HUBSPOT_API_VERSION}/${join(fromType, toType)}/labels`,
  /** One tax rate group of the portal's tax rate library: `/tax-rates/{v}/tax-rates/{id}`. */
  taxRate: (groupId: string): string => `/tax-rates/${HUBSPOT_API_VERSION}/tax-rates/${seg(groupId)}`,
  /** The portal's whole tax rate library (paged with `after`): `/tax-rates/{v}/tax-rates`. */
  taxRates: (): string => `/tax-rates/${HUBSPOT_API_VERSION}/tax-rates`,
  /** Properties: `/crm/properties/{v}/{type}/...` (groups, groups/{name}, batch/create). */
  properties: (objectType: string, ...rest: string[]): string => `/crm/properties/${HUBSPOT_API_VERSION}/${join(objectType, ...rest)}`,
  /** Owners: `/crm/owners/{v}/{id}`. */
  owner: (id: string): string => `/crm/owners/${HUBSPOT_API_VERSION}/${seg(id)}`,
  /** Settings users: `/settings/users/{v}/{userId}`. */
  settingsUser: (userId: string): string => `/settings/users/${HUBSPOT_API_VERSION}/${seg(userId)}`,
  /** Webhooks journal: `/webhooks-journal/journal/{v}/earliest`, `.../offset/{offset}/next`. */
  journalEarliest: (): string => `/webhooks-journal/journal/${HUBSPOT_API_VERSION}/earliest`,
  journalNext: (offset: string): string => `/webhooks-journal/journal/${HUBSPOT_API_VERSION}/offset/${seg(offset)}/next`,
  /** Webhooks journal subscriptions: `/webhooks-journal/subscriptions/{v}`. */
  journalSubscriptions: (): string => `/webhooks-journal/subscriptions/${HUBSPOT_API_VERSION}`,
  /** OAuth: `POST /oauth/{v}/token`, `.../token/introspect`, `.../token/revoke` (form bodies). */
  oauthToken: (): string => `/oauth/${HUBSPOT_API_VERSION}/token`,
  oauthIntrospect: (): string => `/oauth/${HUBSPOT_API_VERSION}/token/introspect`,
  oauthRevoke: (): string => `/oauth/${HUBSPOT_API_VERSION}/token/revoke`,
} as const;

/**
 * Path prefixes HubSpot has announced as going unsupported (`/oauth/v1` on 16 Feb 2027,
 * `/crm/v4` on 30 Mar 2027, `/crm/v3` and `/settings/v3` in Sep 2027). Nothing here may call
 * them; tests and the local sandbox use this list to refuse them.
 */
export const LEGACY_PATH_PREFIXES: readonly string[] = ['/oauth/v1/', '/crm/v3/', '/crm/v4/', '/settings/v3/'];

/** True when `path` is on a legacy (numerically versioned) HubSpot API. */
export function isLegacyHubSpotPath(path: string): boolean {
  return LEGACY_PATH_PREFIXES.some((p) => path.startsWith(p));
}
