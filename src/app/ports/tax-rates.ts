import type { TaxRateLookup } from '../../domain/crm-tax.js';

/**
 * Resolves HubSpot tax rate groups (`hs_tax_rate_group_id` on a line item) of a portal to their
 * rates. Implementations answer every id asked for (found, not found, or unavailable with a
 * reason) and throw `DomainError('upstream_error')` only when HubSpot fails after retries.
 */
export interface TaxRatesPort {
  lookup(portalId: number, groupIds: readonly string[]): Promise<Map<string, TaxRateLookup>>;
}
