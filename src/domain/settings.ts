import type { AccountingMappings } from './exports/mappings.js';
import type { Address, PaymentMethod } from './invoice.js';
import type { PaymentTerms } from './payment-terms.js';

/** The seller's brand as shown on invoices (colours are deliberately not part of it). */
export interface Brand {
  logoUrl?: string | null;
  name?: string | null;
  address?: Address | null;
}

/** Per-portal invoicing settings. */
export interface PortalSettings {
  portalId: number;
  numberPrefix: string;
  nextNumber: number;
  timeZone: string;
  defaultCurrency: string;
  defaultPaymentTerms: PaymentTerms;
  defaultPaymentMethods: PaymentMethod[];
  allowPartialPayments: boolean;
  brand: Brand;
  domains: string[];
  defaultDomain: string | null;
  /** How exports map lines to accounts (complete: defaults applied). */
  accountingMappings: AccountingMappings;
  version: number;
  updatedAt: Date;
}
