/**
 * TaxRatesPort over HubSpot's tax rates API (version from api-version.ts):
 * `GET /tax-rates/{v}/tax-rates/{taxRateGroupId}` -> `{id, name, label, percentageRate, active,
 * createdAt, updatedAt}` (percentageRate a JSON number, in percent). Scopes: any one of
 * `tax_rates.read`, `crm.objects.quotes.read`, ... (see docs/hubspot.md, "Taxes, quotes and
 * associations").
 *
 * Cache: in memory, per portal and group, for `ttlMs` (default 10 minutes); a group HubSpot does
 * not have is remembered for one minute. Why memory and not a table: a rate is a few bytes read
 * once per create from a record, a restart costs one call per group, and a table would need its
 * own invalidation while HubSpot sends no event when a rate changes; the TTL bounds how long a
 * changed rate can go unseen (a resync after that reads it again). Not-authorized answers are never
 * cached, so a reconnect with the scope takes effect at once.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { TaxRatesPort } from '../../app/ports/tax-rates.js';
import type { TaxRateLookup } from '../../domain/crm-tax.js';
import { DomainError } from '../../domain/errors.js';
import { hubspotPaths } from './api-version.js';
import { parseWire } from './crm-mapping.js';
import { HubSpotHttp, type HubSpotHttpOptions } from './http-retry.js';

/** Default time a resolved group is reused without asking HubSpot again. */
export const TAX_RATE_TTL_MS = 10 * 60_000;
/** Time a group HubSpot answered 404 for is remembered (deleted groups stay deleted; typos get fixed). */
const NOT_FOUND_TTL_MS = 60_000;
/** Entries per portal; the oldest go first (a portal's library is tens of groups, not thousands). */
const MAX_ENTRIES_PER_PORTAL = 500;

/** One tax rate group as HubSpot answers it (single read and list items alike). */
export const taxRateSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string().nullish(),
  label: z.string().nullish(),
  percentageRate: z.number().finite().nonnegative(),
  active: z.boolean().optional(),
});

export interface HubSpotTaxRatesAdapterOptions extends HubSpotHttpOptions {
  ttlMs?: number;
}

interface Entry {
  lookup: TaxRateLookup;
  expiresAt: number;
}

export class HubSpotTaxRatesAdapter implements TaxRatesPort {
  private readonly http: HubSpotHttp;
  private readonly logger: Logger;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly cache = new Map<number, Map<string, Entry>>();

  constructor(opts: HubSpotTaxRatesAdapterOptions) {
    this.http = new HubSpotHttp(opts);
    this.logger = opts.logger;
    this.ttlMs = opts.ttlMs ?? TAX_RATE_TTL_MS;
    this.now = opts.now ?? Date.now;
  }

  async lookup(portalId: number, groupIds: readonly string[]): Promise<Map<string, TaxRateLookup>> {
    const unique = [...new Set(groupIds)];
    const answers = await Promise.all(unique.map(async (id) => [id, await this.one(portalId, id)] as const));
    return new Map(answers);
  }

  private async one(portalId: number, groupId: string): Promise<TaxRateLookup> {
    const portal = this.cache.get(portalId);
    const hit = portal?.get(groupId);
    if (hit && hit.expiresAt > this.now()) return hit.lookup;
    const lookup = await this.fetch(portalId, groupId);
    if (lookup.status !== 'unavailable') this.remember(portalId, groupId, lookup);
    return lookup;
  }

  private async fetch(portalId: number, groupId: string): Promise<TaxRateLookup> {
    // Ids are HubSpot's numeric strings; anything else cannot be a group and is not sent.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(groupId)) return { status: 'not_found' };
    try {
      const res = await this.http.request(portalId, {
        method: 'GET',
        path: hubspotPaths.taxRate(groupId),
      });
      if (res.status === 404) return { status: 'not_found' };
      const body = parseWire(taxRateSchema, res.body, 'tax rate read');
      return { status: 'found', rate: percentText(body.percentageRate), name: body.label ?? body.name ?? groupId, active: body.active ?? true };
    } catch (err) {
      // An install from before the scope was added: the draft says so instead of failing.
      if (err instanceof DomainError && err.code === 'hubspot_reauth_required') {
        this.logger.warn({ portalId, groupId }, 'HubSpot refused a tax rate read (scope missing?)');
        return { status: 'unavailable', reason: 'HubSpot did not let the app read tax rates: an admin must reconnect the app to grant tax_rates.read' };
      }
      throw err;
    }
  }

  private remember(portalId: number, groupId: string, lookup: TaxRateLookup): void {
    let portal = this.cache.get(portalId);
    if (!portal) this.cache.set(portalId, (portal = new Map()));
    portal.delete(groupId);
    portal.set(groupId, { lookup, expiresAt: this.now() + (lookup.status === 'found' ? this.ttlMs : NOT_FOUND_TTL_MS) });
    while (portal.size > MAX_ENTRIES_PER_PORTAL) portal.delete(portal.keys().next().value!);
  }
}

/**
 * A JSON number percent as the decimal string the domain uses: 8.25 -> "8.25", 10 -> "10".
 * Doubles print their shortest round-trip form; exponent forms (1e-7) are written out in full.
 */
export function percentText(value: number): string {
  const plain = String(value);
  if (!/e/i.test(plain)) return plain;
  return value.toFixed(20).replace(/\.?0+$/, '');
}
