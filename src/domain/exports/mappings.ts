/**
 * Accounting mappings (the `accountingMappings` setting): how invoice lines land in the
 * accounting package. Stored complete (defaults applied) in portal_settings.accounting_mappings.
 * A line is mapped by its SKU (exact match) to an `items` entry; what that entry leaves out, and
 * lines without a matching SKU, fall back to the defaults.
 */
import type { Invoice } from '../invoice.js';
import { DATE_FORMATS, type DateFormat } from './date-formats.js';

/** Formats whose BOM is a setting (JSON never gets one: RFC 8259 forbids it). */
export const BOM_FORMATS = ['xero-csv', 'qbo-csv', 'qbd-iif', 'csv'] as const;
export type BomFormat = (typeof BOM_FORMATS)[number];

/** One SKU's mapping; omitted fields use the defaults. */
export interface ItemMapping {
  sku: string;
  accountCode?: string;
  taxType?: string;
  incomeAccount?: string;
}

/** The complete mappings, as stored and as the API shows them. */
export interface AccountingMappings {
  /** Xero's regional date format (QuickBooks files are always MM/DD/YYYY). */
  dateFormat: DateFormat;
  /** Xero account code of lines without an item mapping, and of discount, fee and tax rows. */
  defaultAccountCode: string;
  /** Xero tax type of untaxed lines without an item mapping (taxed ones are named `Tax <rate>%`). */
  defaultTaxType: string;
  /** QuickBooks Desktop (IIF) accounts. */
  receivableAccount: string;
  incomeAccount: string;
  taxAccount: string;
  /** Whether each file starts with a UTF-8 byte order mark (Excel needs one to read UTF-8 CSV). */
  bom: Record<BomFormat, boolean>;
  items: ItemMapping[];
}

export const DEFAULT_MAPPINGS: AccountingMappings = Object.freeze({
  dateFormat: 'DD/MM/YYYY',
  defaultAccountCode: '200',
  defaultTaxType: 'Tax Exempt (0%)',
  receivableAccount: 'Accounts Receivable',
  incomeAccount: 'Sales',
  taxAccount: 'Sales Tax Payable',
  bom: Object.freeze({ 'xero-csv': false, 'qbo-csv': false, 'qbd-iif': false, csv: true }),
  items: [],
}) as AccountingMappings;

/**
 * The stored value completed with defaults. Stored values are validated when written; this also
 * copes with rows written before the setting existed (`{}`) by taking only well-typed fields.
 */
export function completeMappings(stored: unknown): AccountingMappings {
  const s = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const str = (v: unknown, fallback: string) => (typeof v === 'string' && v !== '' ? v : fallback);
  const bom = (s.bom && typeof s.bom === 'object' ? s.bom : {}) as Record<string, unknown>;
  return {
    dateFormat: (DATE_FORMATS as readonly unknown[]).includes(s.dateFormat) ? (s.dateFormat as DateFormat) : DEFAULT_MAPPINGS.dateFormat,
    defaultAccountCode: str(s.defaultAccountCode, DEFAULT_MAPPINGS.defaultAccountCode),
    defaultTaxType: str(s.defaultTaxType, DEFAULT_MAPPINGS.defaultTaxType),
    receivableAccount: str(s.receivableAccount, DEFAULT_MAPPINGS.receivableAccount),
    incomeAccount: str(s.incomeAccount, DEFAULT_MAPPINGS.incomeAccount),
    taxAccount: str(s.taxAccount, DEFAULT_MAPPINGS.taxAccount),
    bom: Object.fromEntries(BOM_FORMATS.map((f) => [f, typeof bom[f] === 'boolean' ? bom[f] : DEFAULT_MAPPINGS.bom[f]])) as Record<BomFormat, boolean>,
    items: Array.isArray(s.items) ? (s.items as ItemMapping[]).filter((i) => i && typeof i.sku === 'string') : [],
  };
}

/** A settings update's mappings: any subset; `bom` by format. */
export type MappingsPatch = Partial<Omit<AccountingMappings, 'bom'>> & { bom?: Partial<Record<BomFormat, boolean>> };

/** A PUT's partial mappings over the current ones: given fields replace (`items` as a whole), `bom` merges per format. */
export function mergeMappings(current: AccountingMappings, patch: MappingsPatch): AccountingMappings {
  const { bom, ...rest } = patch;
  return { ...current, ...rest, bom: { ...current.bom, ...bom } };
}

/** What one line maps to. */
export interface LineMapping {
  accountCode: string;
  /** Xero tax type. */
  taxType: string;
  incomeAccount: string;
}

/** The line's mapping: its SKU's entry, then the defaults. */
export function mapLine(m: AccountingMappings, line: Pick<Invoice['lineItems'][number], 'sku' | 'taxRate'>): LineMapping {
  const item = line.sku ? m.items.find((i) => i.sku === line.sku) : undefined;
  const untaxed = line.taxRate === null || /^0*(\.0*)?$/.test(line.taxRate);
  return {
    accountCode: item?.accountCode ?? m.defaultAccountCode,
    taxType: item?.taxType ?? (untaxed ? m.defaultTaxType : `Tax ${line.taxRate}%`),
    incomeAccount: item?.incomeAccount ?? m.incomeAccount,
  };
}
