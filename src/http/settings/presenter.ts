import { formatInvoiceNumber, MAX_INVOICE_NUMBER } from '../../domain/numbering.js';
import type { PortalSettings } from '../../domain/settings.js';
import type { SettingsResponse } from './response.js';

/** Settings as the API shows them, with a preview of the next invoice number. */
export function presentSettings(s: PortalSettings): SettingsResponse {
  return {
    numberPrefix: s.numberPrefix,
    nextNumber: s.nextNumber,
    // null once every number of the prefix is used (a new prefix is needed).
    nextInvoiceNumber: s.nextNumber > MAX_INVOICE_NUMBER ? null : formatInvoiceNumber(s.numberPrefix, s.nextNumber),
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
