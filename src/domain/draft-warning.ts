/**
 * A problem with what a draft copied from HubSpot that a person must look at before finalizing.
 * `tax_rate_unresolved`: the HubSpot line has a tax rate group the service could not turn into a
 * rate, so the copied line has no tax rate (never a silently untaxed line: this says so).
 * `tax_rate_inactive`: the group was resolved and its rate applied, but HubSpot marks it inactive.
 */
export interface DraftWarning {
  code: 'tax_rate_unresolved' | 'tax_rate_inactive';
  hubspotLineItemId: string;
  taxRateGroupId: string;
  message: string;
}
