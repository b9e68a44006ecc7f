import { formatInvoiceNumber, MAX_INVOICE_NUMBER } from '../../domain/numbering.js';
import type { PortalSettings } from '../../domain/settings.js';
import { challengeName, type PortalDomain } from '../../domain/invoice-domains.js';
import type { DomainResponse, SettingsResponse } from './response.js';

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

/** A domain with the TXT record its owner must create (kept after verification, for reference). */
export function presentDomain(d: PortalDomain): DomainResponse {
  return {
    domain: d.domain,
    status: d.status,
    dnsRecord: { type: 'TXT', name: challengeName(d.domain), value: d.challengeToken },
    createdAt: d.createdAt.toISOString(),
    verifiedAt: d.verifiedAt ? d.verifiedAt.toISOString() : null,
  };
}
