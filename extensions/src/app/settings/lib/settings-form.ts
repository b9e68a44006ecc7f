/**
 * The general settings form: what the inputs hold, the checks made before saving (the service
 * makes them again and its answer wins), the next-number preview and the PUT body.
 */
import { formatInvoiceNumber, MAX_INVOICE_NUMBER, PREFIX_PATTERN } from '@invoices/shared/lib/domain';
import type { InvoiceDomain, PaymentMethod, PaymentTerms, Settings } from '@invoices/shared/lib/types';

export const ADDRESS_FIELDS = [
  { key: 'line1', label: 'Address line 1' },
  { key: 'line2', label: 'Address line 2' },
  { key: 'city', label: 'City' },
  { key: 'region', label: 'State or region' },
  { key: 'postalCode', label: 'Postal code' },
  { key: 'country', label: 'Country' },
] as const;
export type AddressKey = (typeof ADDRESS_FIELDS)[number]['key'];

export interface SettingsForm {
  numberPrefix: string;
  nextNumber: number;
  defaultPaymentTerms: PaymentTerms;
  defaultPaymentMethods: PaymentMethod[];
  allowPartialPayments: boolean;
  timeZone: string;
  defaultCurrency: string;
  brandName: string;
  logoUrl: string;
  address: Record<AddressKey, string>;
  /** The verified domains (the choices for the default); added and verified in the domains section. */
  domains: string[];
  defaultDomain: string;
}

/** Field name -> message. */
export type SettingsErrors = Partial<Record<keyof SettingsForm | 'newDomain', string>>;

export function formFromSettings(s: Settings): SettingsForm {
  const address = Object.fromEntries(ADDRESS_FIELDS.map(({ key }) => [key, s.brand?.address?.[key] ?? ''])) as Record<AddressKey, string>;
  return {
    numberPrefix: s.numberPrefix,
    nextNumber: s.nextNumber,
    defaultPaymentTerms: s.defaultPaymentTerms,
    defaultPaymentMethods: [...s.defaultPaymentMethods],
    allowPartialPayments: s.allowPartialPayments,
    timeZone: s.timeZone,
    defaultCurrency: s.defaultCurrency,
    brandName: s.brand?.name ?? '',
    logoUrl: s.brand?.logoUrl ?? '',
    address,
    domains: [...s.domains],
    defaultDomain: s.defaultDomain ?? '',
  };
}

/** The number the next finalized invoice gets with these settings, or null when they are invalid. */
export function nextNumberPreview(form: Pick<SettingsForm, 'numberPrefix' | 'nextNumber'>): string | null {
  if (!PREFIX_PATTERN.test(form.numberPrefix)) return null;
  if (!Number.isInteger(form.nextNumber) || form.nextNumber < 1 || form.nextNumber > MAX_INVOICE_NUMBER) return null;
  return formatInvoiceNumber(form.numberPrefix, form.nextNumber);
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** A domain as typed -> its host name, or a message. */
export function checkDomain(input: string, existing: string[]): { domain: string } | { error: string } {
  const domain = input
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '');
  if (!HOSTNAME.test(domain)) return { error: 'Enter a host name such as billing.example.com.' };
  if (existing.includes(domain)) return { error: 'This domain is already in the list.' };
  return { domain };
}

/** The problems that stop a save, by field. */
export function checkSettings(form: SettingsForm): SettingsErrors {
  const errors: SettingsErrors = {};
  if (!PREFIX_PATTERN.test(form.numberPrefix)) {
    errors.numberPrefix = 'Use 1-20 letters, digits, "_", ".", "/" or "-", starting with a letter or digit.';
  }
  if (!Number.isInteger(form.nextNumber) || form.nextNumber < 1 || form.nextNumber > MAX_INVOICE_NUMBER) {
    errors.nextNumber = 'Enter a whole number of 1 or more.';
  }
  if (!/^[A-Za-z]{3}$/.test(form.defaultCurrency.trim())) errors.defaultCurrency = 'Enter a 3-letter ISO currency code such as USD.';
  if (form.timeZone.trim() === '') errors.timeZone = 'Enter a time zone such as Europe/Amsterdam.';
  const logo = form.logoUrl.trim();
  if (logo && !/^https:\/\/\S+$/.test(logo)) errors.logoUrl = 'The logo URL must start with https://.';
  if (form.defaultDomain && !form.domains.includes(form.defaultDomain)) errors.defaultDomain = 'Pick one of the verified domains above.';
  return errors;
}

/** The names of the verified domains, the only ones a default may name. */
export function verifiedNames(domains: InvoiceDomain[]): string[] {
  return domains.filter((d) => d.status === 'verified').map((d) => d.domain);
}

/**
 * PUT /api/v1/settings body for the general section (accounting mappings are saved apart).
 * `domains` is not sent: the service manages it under /api/v1/settings/domains.
 */
export function settingsBody(form: SettingsForm): Record<string, unknown> {
  const address = Object.fromEntries(ADDRESS_FIELDS.map(({ key }) => [key, form.address[key].trim()]).filter(([, v]) => v !== ''));
  return {
    numberPrefix: form.numberPrefix,
    nextNumber: form.nextNumber,
    defaultPaymentTerms: form.defaultPaymentTerms,
    defaultPaymentMethods: form.defaultPaymentMethods,
    allowPartialPayments: form.allowPartialPayments,
    timeZone: form.timeZone.trim(),
    defaultCurrency: form.defaultCurrency.trim().toUpperCase(),
    brand: {
      name: form.brandName.trim() || null,
      logoUrl: form.logoUrl.trim() || null,
      address: Object.keys(address).length ? address : null,
    },
    defaultDomain: form.defaultDomain || null,
  };
}
