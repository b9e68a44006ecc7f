import { formatInvoiceNumber } from '../../domain/numbering.js';
import type { PortalSettings } from '../../domain/settings.js';

/** Settings as the API shows them, with a preview of the next invoice number. */
export function presentSettings(s: PortalSettings) {
  return {
    numberPrefix: s.numberPrefix,
    nextNumber: s.nextNumber,
    nextInvoiceNumber: formatInvoiceNumber(s.numberPrefix, s.nextNumber),
    timeZone: s.timeZone,
    defaultCurrency: s.defaultCurrency,
    defaultPaymentTerms: s.defaultPaymentTerms,
    defaultPaymentMethods: s.defaultPaymentMethods,
    allowPartialPayments: s.allowPartialPayments,
    brand: s.brand,
    domains: s.domains,
    defaultDomain: s.defaultDomain,
    accountingMappings: s.accountingMappings,
    version: s.version,
    updatedAt: s.updatedAt.toISOString(),
  };
}
