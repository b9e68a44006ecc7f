/**
 * The accounting mappings form (settings.accountingMappings, docs/finance.md):
 * text as typed, blanks meaning "the service's default", per-SKU rows checked for a SKU each.
 */
import type { AccountingItem, AccountingMappings, AccountingMappingsUpdate, BomFormat } from '@invoices/shared/lib/types';

export const BOM_FORMATS: { format: BomFormat; label: string; byDefault: boolean }[] = [
  { format: 'xero-csv', label: 'Xero CSV', byDefault: false },
  { format: 'qbo-csv', label: 'QuickBooks Online CSV', byDefault: false },
  { format: 'qbd-iif', label: 'QuickBooks Desktop IIF', byDefault: false },
  { format: 'csv', label: 'Plain CSV', byDefault: true },
];

/** The text fields, with the default the service applies when one is left blank. */
export const TEXT_FIELDS = [
  { key: 'defaultAccountCode', label: 'Default account code', placeholder: '200' },
  { key: 'defaultTaxType', label: 'Default tax type', placeholder: 'Tax Exempt (0%)' },
  { key: 'receivableAccount', label: 'Receivable account', placeholder: 'Accounts Receivable' },
  { key: 'incomeAccount', label: 'Income account', placeholder: 'Sales' },
  { key: 'taxAccount', label: 'Tax account', placeholder: 'Sales Tax Payable' },
] as const;
export type TextKey = (typeof TEXT_FIELDS)[number]['key'];

export interface ItemRow extends Required<AccountingItem> {
  key: string;
}

export interface AccountingForm {
  dateFormat: '' | 'DD/MM/YYYY' | 'MM/DD/YYYY';
  text: Record<TextKey, string>;
  bom: Record<BomFormat, boolean>;
  items: ItemRow[];
}

let seq = 0;
export const emptyItem = (): ItemRow => ({ key: `item-new-${++seq}`, sku: '', accountCode: '', taxType: '', incomeAccount: '' });

export function accountingFormFrom(m: AccountingMappings): AccountingForm {
  return {
    dateFormat: m.dateFormat ?? '',
    text: Object.fromEntries(TEXT_FIELDS.map(({ key }) => [key, m[key] ?? ''])) as Record<TextKey, string>,
    bom: Object.fromEntries(BOM_FORMATS.map(({ format, byDefault }) => [format, m.bom?.[format] ?? byDefault])) as Record<BomFormat, boolean>,
    items: (m.items ?? []).map((item, i) => ({
      key: `item-${i}`,
      sku: item.sku,
      accountCode: item.accountCode ?? '',
      taxType: item.taxType ?? '',
      incomeAccount: item.incomeAccount ?? '',
    })),
  };
}

/** `items.2.sku` -> message. */
export function checkAccounting(form: AccountingForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const seen = new Set<string>();
  form.items.forEach((item, i) => {
    const sku = item.sku.trim();
    if (!sku) errors[`items.${i}.sku`] = 'Enter the SKU this row maps.';
    else if (seen.has(sku)) errors[`items.${i}.sku`] = 'This SKU is mapped twice.';
    seen.add(sku);
  });
  return errors;
}

/** The `accountingMappings` object to PUT: blanks left out, so the service's defaults apply. */
export function accountingBody(form: AccountingForm): AccountingMappingsUpdate {
  const body: AccountingMappingsUpdate = { bom: { ...form.bom } };
  if (form.dateFormat) body.dateFormat = form.dateFormat;
  for (const { key } of TEXT_FIELDS) {
    const value = form.text[key].trim();
    if (value) body[key] = value;
  }
  body.items = form.items.map(({ sku, accountCode, taxType, incomeAccount }) => ({
    sku: sku.trim(),
    ...(accountCode.trim() ? { accountCode: accountCode.trim() } : {}),
    ...(taxType.trim() ? { taxType: taxType.trim() } : {}),
    ...(incomeAccount.trim() ? { incomeAccount: incomeAccount.trim() } : {}),
  }));
  return body;
}
