/**
 * Finds the portal's tax rate group for one of our line rates, so the invoice mirror can set
 * `hs_tax_rate_group_id` on the line items it creates (the line items guide: "To include the tax
 * rate for your line item, include its ID as the hs_tax_rate_group_id within the properties
 * field", https://developers.hubspot.com/docs/api-reference/latest/crm/objects/line-items/guide).
 *
 * The library is listed with `GET /tax-rates/{v}/tax-rates` (`{results: [{id, name, label,
 * percentageRate, active, ...}], paging?: {next?: {after}}}`, following `after`:
 * https://developers.hubspot.com/docs/api-reference/latest/account/settings/tax-rates/get-tax-rates)
 * and cached per portal for a few minutes: a mirror creates lines for one invoice at a time, and
 * HubSpot sends no event when the library changes, so the TTL bounds how long a new group goes
 * unused. A failed read (missing scope, 5xx, unexpected body) is not cached.
 *
 * A rate matches only when exactly one ACTIVE group has it, compared as exact normalised decimals
 * ("8.250" == 8.25). None or several: no group, because picking one of two same-rate groups (say
 * a state and a city tax) would be a guess.
 */
import { z } from 'zod';
import { formatDecimal, parseDecimal } from '../../domain/money/index.js';
import { hubspotPaths } from './api-version.js';
import { parseWire } from './crm-mapping.js';
import type { HubSpotHttp } from './http-retry.js';
import { percentText, taxRateSchema } from './tax-rates-adapter.js';

/** How long a portal's listed library is reused. */
export const TAX_RATE_LIBRARY_TTL_MS = 5 * 60_000;
/** Pages read at most (a library is tens of groups; this only stops a cursor that never ends). */
const MAX_PAGES = 20;

const listSchema = z.object({
  results: z.array(taxRateSchema),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

/** One group of the library: its id and its rate as a normalised decimal string. */
export interface TaxRateGroup {
  id: string;
  rate: string | null;
  active: boolean;
}

/** The outcome of matching one rate: the group's id, or why there is none. */
export type TaxRateGroupMatch = { status: 'found'; id: string } | { status: 'none' } | { status: 'several'; ids: string[] };

/** A decimal percent as a canonical string ("8.250" -> "8.25", "10.0" -> "10"), or null if it is not one. */
export function normalizedRate(text: string): string | null {
  try {
    return formatDecimal(parseDecimal(text, 'taxRate', { maxScale: 30 }));
  } catch {
    return null;
  }
}

/** The single ACTIVE group whose rate equals `rate` (exact decimal comparison). */
export function matchTaxRateGroup(groups: readonly TaxRateGroup[], rate: string): TaxRateGroupMatch {
  const wanted = normalizedRate(rate);
  if (wanted === null) return { status: 'none' };
  const ids = groups.filter((g) => g.active && g.rate === wanted).map((g) => g.id);
  if (ids.length === 1) return { status: 'found', id: ids[0]! };
  return ids.length === 0 ? { status: 'none' } : { status: 'several', ids };
}

/** A portal's tax rate library, listed through `http` and cached per portal. */
export class TaxRateLibrary {
  private readonly cache = new Map<number, { groups: TaxRateGroup[]; expiresAt: number }>();
  /** One listing per portal at a time. */
  private readonly listing = new Map<number, Promise<TaxRateGroup[]>>();

  constructor(
    private readonly http: HubSpotHttp,
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = TAX_RATE_LIBRARY_TTL_MS,
  ) {}

  /** All groups of the portal (throws what HubSpotHttp throws; a failure is not remembered). */
  async groups(portalId: number): Promise<TaxRateGroup[]> {
    const hit = this.cache.get(portalId);
    if (hit && hit.expiresAt > this.now()) return hit.groups;
    let running = this.listing.get(portalId);
    if (!running) {
      running = this.list(portalId)
        .then((groups) => {
          this.cache.set(portalId, { groups, expiresAt: this.now() + this.ttlMs });
          return groups;
        })
        .finally(() => this.listing.delete(portalId));
      this.listing.set(portalId, running);
    }
    return running;
  }

  private async list(portalId: number): Promise<TaxRateGroup[]> {
    const groups: TaxRateGroup[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const res = await this.http.request(portalId, {
        method: 'GET',
        path: hubspotPaths.taxRates(),
        ...(after !== undefined ? { query: `after=${encodeURIComponent(after)}` } : {}),
      });
      // A whole path HubSpot does not serve: the caller treats it like any failed read.
      if (res.status === 404) throw new Error('HubSpot answered 404 to the tax rate list');
      const body = parseWire(listSchema, res.body, 'tax rate list');
      for (const r of body.results) groups.push({ id: r.id, rate: normalizedRate(percentText(r.percentageRate)), active: r.active ?? true });
      const next = body.paging?.next?.after;
      if (next === undefined || next === after) break;
      after = next;
    }
    return groups;
  }
}
