/**
 * Association type ids looked up from HubSpot instead of hard-coded: the associations schema
 * ("labels") endpoint `GET /crm/associations/{v}/{fromObjectType}/{toObjectType}/labels`
 * answers `{results: [{category, typeId, label}]}`; the default (unlabeled) type of a pair is the
 * HUBSPOT_DEFINED entry without a label. See docs/hubspot.md, "Taxes, quotes and associations".
 *
 * Cached per client and portal for the life of the process: HubSpot-defined types do not change,
 * so one call per portal and pair is enough. A pair without an unlabeled HubSpot-defined type is an
 * upstream_error (the caller's job retries), never a guessed id.
 */
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { hubspotPaths } from './api-version.js';
import { parseWire } from './crm-mapping.js';
import type { HubSpotHttp } from './http-retry.js';

const labelsSchema = z.object({
  results: z.array(z.object({ category: z.string(), typeId: z.number().int(), label: z.string().nullish() })),
});

const cache = new WeakMap<HubSpotHttp, Map<string, number>>();

/** The id of the default (unlabeled, HUBSPOT_DEFINED) association type from `fromType` to `toType` in a portal. */
export async function defaultAssociationTypeId(http: HubSpotHttp, portalId: number, fromType: string, toType: string): Promise<number> {
  let known = cache.get(http);
  if (!known) cache.set(http, (known = new Map()));
  const key = `${portalId}:${fromType}:${toType}`;
  const hit = known.get(key);
  if (hit !== undefined) return hit;
  const res = await http.request(portalId, {
    method: 'GET',
    path: hubspotPaths.associationLabels(fromType, toType),
  });
  if (res.status === 404) throw new DomainError('upstream_error', `HubSpot failed: no association types from ${fromType} to ${toType} (404)`);
  const found = parseWire(labelsSchema, res.body, 'association labels').results.find((r) => r.category === 'HUBSPOT_DEFINED' && !r.label);
  if (!found) throw new DomainError('upstream_error', `HubSpot failed: no default association type from ${fromType} to ${toType}`);
  known.set(key, found.typeId);
  return found.typeId;
}
