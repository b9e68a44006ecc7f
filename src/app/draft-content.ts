import { todayIn } from '../domain/dates.js';
import { invalidField } from '../domain/errors.js';
import { noAssociations, type DraftContent } from '../domain/invoice.js';
import { isKnownCurrency } from '../domain/money/index.js';
import { dueDateFor } from '../domain/payment-terms.js';
import type { PortalSettings } from '../domain/settings.js';

/** What a client may send for a draft: every field optional, unknown fields already refused at the edge. */
export type DraftInput = Partial<Omit<DraftContent, 'associations' | 'lineItems'>> & {
  lineItems?: Array<Partial<DraftContent['lineItems'][number]> & Pick<DraftContent['lineItems'][number], 'name' | 'quantity' | 'unitPrice'>>;
  associations?: Partial<DraftContent['associations']>;
};

/**
 * Merges a client's draft fields over a base (the stored draft, or the portal's defaults for a
 * new one) and checks what needs the portal's context: currency, domain, dates and terms.
 */
export function resolveDraft(input: DraftInput, settings: PortalSettings, now: Date, base?: DraftContent): DraftContent {
  const invoiceDate = input.invoiceDate ?? base?.invoiceDate ?? todayIn(settings.timeZone, now);
  const paymentTerms = input.paymentTerms ?? base?.paymentTerms ?? settings.defaultPaymentTerms;
  // Keep a custom due date across edits, but let fixed terms recompute it when dates move.
  const requestedDue = input.dueDate ?? (paymentTerms === 'custom' ? base?.dueDate : undefined);
  const currency = input.currency ?? base?.currency ?? settings.defaultCurrency;
  if (!isKnownCurrency(currency)) throw invalidField('currency', `unknown ISO 4217 currency "${currency}"`);
  const domain = input.domain === undefined ? (base?.domain ?? settings.defaultDomain) : input.domain;
  if (domain !== null && !settings.domains.includes(domain)) {
    throw invalidField('domain', `"${domain}" is not a verified invoice domain of this portal (${settings.domains.join(', ') || 'none verified'})`);
  }
  return {
    currency,
    invoiceDate,
    paymentTerms,
    dueDate: dueDateFor(paymentTerms, invoiceDate, requestedDue),
    lineItems: input.lineItems
      ? input.lineItems.map((l) => ({
          name: l.name,
          description: l.description ?? '',
          sku: l.sku ?? null,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          discount: l.discount ?? null,
          taxRate: l.taxRate ?? null,
          hubspotLineItemId: l.hubspotLineItemId ?? null,
          hubspotProductId: l.hubspotProductId ?? null,
        }))
      : (base?.lineItems ?? []),
    adjustments: input.adjustments ?? base?.adjustments ?? [],
    paymentMethods: input.paymentMethods ?? base?.paymentMethods ?? settings.defaultPaymentMethods,
    allowPartialPayments: input.allowPartialPayments ?? base?.allowPartialPayments ?? settings.allowPartialPayments,
    buyerComments: input.buyerComments ?? base?.buyerComments ?? '',
    domain,
    billTo: input.billTo === undefined ? (base?.billTo ?? null) : input.billTo,
    associations: { ...noAssociations(), ...(base?.associations ?? {}), ...(input.associations ?? {}) },
    source: input.source === undefined ? (base?.source ?? null) : input.source,
    warnings: input.warnings ?? base?.warnings ?? [],
  };
}
