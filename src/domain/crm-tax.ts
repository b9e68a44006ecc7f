import type { CrmLineItem } from './crm.js';
import type { DraftWarning } from './draft-warning.js';

export type { DraftWarning } from './draft-warning.js';

/**
 * What the tax rates API said about one tax rate group of a portal. `rate` is HubSpot's
 * `percentageRate` as a decimal string ("8.25"). `not_found`: the group does not exist (deleted,
 * or another portal's id). `unavailable`: the app may not read tax rates (`reason` says why).
 */
export type TaxRateLookup =
  { status: 'found'; rate: string; name: string; active: boolean } | { status: 'not_found' } | { status: 'unavailable'; reason: string };

/** The distinct tax rate group ids of `lines`, in first-seen order. */
export function taxRateGroupIds(lines: Pick<CrmLineItem, 'taxRateGroupId'>[]): string[] {
  // A CrmPort of an older shape may leave the field out: no group, like null.
  return [...new Set(lines.map((l) => l.taxRateGroupId).filter((id): id is string => typeof id === 'string' && id !== ''))];
}

/**
 * Puts each line's resolved tax rate on it and lists a warning for every line whose group could
 * not be resolved (missing from `lookups` counts as not resolved). An inactive group still taxes
 * the line at its rate, as HubSpot kept it on the line, but is reported so someone checks it.
 */
export function applyTaxRates(lines: CrmLineItem[], lookups: ReadonlyMap<string, TaxRateLookup>): { lines: CrmLineItem[]; warnings: DraftWarning[] } {
  const warnings: DraftWarning[] = [];
  const out = lines.map((line) => {
    const groupId = line.taxRateGroupId;
    if (typeof groupId !== 'string' || groupId === '') return line;
    const lookup = lookups.get(groupId) ?? { status: 'unavailable', reason: 'it was not looked up' };
    const warn = (why: string) =>
      warnings.push({
        code: 'tax_rate_unresolved',
        hubspotLineItemId: line.id,
        taxRateGroupId: groupId,
        message: `HubSpot line item ${line.id} (${line.name || 'unnamed'}) has tax rate group ${groupId}, but ${why}: set its tax rate by hand or fix the line in HubSpot and re-sync`,
      });
    if (lookup.status === 'found') {
      if (!lookup.active) {
        warnings.push({
          code: 'tax_rate_inactive',
          hubspotLineItemId: line.id,
          taxRateGroupId: groupId,
          message: `HubSpot line item ${line.id} (${line.name || 'unnamed'}) uses tax rate group ${groupId} "${lookup.name}", which is no longer active in HubSpot's tax rate library: its rate ${lookup.rate} % was applied, check that it still applies`,
        });
      }
      return { ...line, taxRate: lookup.rate };
    }
    warn(lookup.status === 'not_found' ? "HubSpot's tax rate library has no such group" : `its rate could not be read (${lookup.reason})`);
    return { ...line, taxRate: null };
  });
  return { lines: out, warnings };
}

/**
 * The warnings that still apply to a draft's lines: an unresolved-tax warning stands while a line
 * copied from that HubSpot line item is still on the draft without a tax rate (once someone sets
 * the rate by hand, or removes the line, it no longer applies); an inactive-group warning stands
 * while the line is there.
 */
export function warningsStillApplying(
  warnings: readonly DraftWarning[],
  lines: ReadonlyArray<{ hubspotLineItemId: string | null; taxRate: string | null }>,
): DraftWarning[] {
  return warnings.filter((w) => lines.some((l) => l.hubspotLineItemId === w.hubspotLineItemId && (w.code === 'tax_rate_inactive' || l.taxRate === null)));
}
