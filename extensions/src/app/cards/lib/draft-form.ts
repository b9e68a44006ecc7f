/**
 * The editable form of a draft invoice: what the inputs hold (decimal text as typed), how it is
 * checked, how the live totals are computed with the service's own engine, and the PATCH body.
 */
import { computeTotals, decimalStringToMinor, DomainError, minorToDecimalString, type InvoiceTotals } from '@invoices/shared/lib/domain';
import type { Adjustment, BillTo, Invoice, LineItem, PaymentMethod, PaymentTerms } from '@invoices/shared/lib/types';
import { adjustmentFormFrom, adjustmentToApi, billToApi, billToForm, type AdjustmentForm, type BillToForm } from './draft-parts';

export { emptyAdjustment, type AdjustmentForm, type BillToForm } from './draft-parts';

export type DiscountKind = 'none' | 'percent' | 'amount';

export interface LineForm {
  /** Stable React key; the service id when the line exists. */
  key: string;
  id?: string;
  name: string;
  quantity: string;
  /** Major units as typed, e.g. "100.00". */
  unitPrice: string;
  discountKind: DiscountKind;
  /** Percent ("10") or major units ("5.00"), by `discountKind`. */
  discountValue: string;
  taxRate: string;
  /** Fields the card does not edit but must send back unchanged. */
  keep: Pick<LineItem, 'description' | 'sku' | 'hubspotLineItemId' | 'hubspotProductId'>;
}

export interface DraftForm {
  currency: string;
  /** Host name of the payment page ("" = the account's default). */
  domain: string;
  invoiceDate: string | null;
  dueDate: string | null;
  paymentTerms: PaymentTerms;
  buyerComments: string;
  paymentMethods: PaymentMethod[];
  lines: LineForm[];
  adjustments: AdjustmentForm[];
  billTo: BillToForm;
}

/** Field path (`lines.0.name`, `dueDate`) -> message. */
export type FormErrors = Record<string, string>;

let keySeq = 0;
const nextKey = () => `new-${++keySeq}`;

function money(amount: number, currency: string): string {
  try {
    return minorToDecimalString(amount, currency);
  } catch {
    return String(amount);
  }
}

export function lineFormFromItem(item: LineItem, currency: string, index: number): LineForm {
  const discount = item.discount ?? null;
  return {
    key: item.id ?? `line-${index}`,
    ...(item.id ? { id: item.id } : {}),
    name: item.name,
    quantity: item.quantity,
    unitPrice: money(item.unitPrice, currency),
    discountKind: discount ? discount.type : 'none',
    discountValue: !discount ? '' : discount.type === 'amount' ? money(Number(discount.value), currency) : discount.value,
    taxRate: item.taxRate ?? '',
    keep: {
      description: item.description ?? '',
      sku: item.sku ?? null,
      hubspotLineItemId: item.hubspotLineItemId ?? null,
      hubspotProductId: item.hubspotProductId ?? null,
    },
  };
}

export function formFromInvoice(inv: Invoice): DraftForm {
  return {
    currency: inv.currency,
    domain: inv.domain ?? '',
    invoiceDate: inv.invoiceDate,
    dueDate: inv.dueDate,
    paymentTerms: inv.paymentTerms,
    buyerComments: inv.buyerComments ?? '',
    paymentMethods: [...inv.paymentMethods],
    lines: inv.lineItems.map((item, i) => lineFormFromItem(item, inv.currency, i)),
    adjustments: inv.adjustments.map((a, i) => adjustmentFormFrom(a, inv.currency, i)),
    billTo: billToForm(inv.billTo),
  };
}

/** A custom line: quantity 1, everything else for the user to fill in. */
export function emptyLine(): LineForm {
  return {
    key: nextKey(),
    name: '',
    quantity: '1',
    unitPrice: '',
    discountKind: 'none',
    discountValue: '',
    taxRate: '',
    keep: { description: '', sku: null, hubspotLineItemId: null, hubspotProductId: null },
  };
}

/** What the engine and the API need for one line, or the problems that stop it. */
function lineToApi(line: LineForm, i: number, currency: string, errors: FormErrors): LineItem | null {
  const at = (field: string) => `lines.${i}.${field}`;
  let ok = true;
  if (line.name.trim() === '') {
    errors[at('name')] = 'Enter a name for this line.';
    ok = false;
  }
  let unitPrice = 0;
  const price = line.unitPrice.trim();
  if (price === '') {
    errors[at('unitPrice')] = 'Enter a unit price.';
    ok = false;
  } else if (price.startsWith('-')) {
    errors[at('unitPrice')] = 'The unit price cannot be negative.';
    ok = false;
  } else {
    try {
      unitPrice = decimalStringToMinor(price, currency, at('unitPrice'));
    } catch {
      errors[at('unitPrice')] = 'Enter the unit price as a number, like 100.00.';
      ok = false;
    }
  }
  let discount: LineItem['discount'] = null;
  if (line.discountKind !== 'none') {
    const value = line.discountValue.trim();
    if (value.startsWith('-')) {
      errors[at('discountValue')] = 'A discount cannot be negative.';
      ok = false;
    } else if (line.discountKind === 'amount') {
      try {
        discount = { type: 'amount', value: String(decimalStringToMinor(value || '0', currency, at('discountValue'))) };
      } catch {
        errors[at('discountValue')] = 'Enter the discount as an amount, like 5.00.';
        ok = false;
      }
    } else {
      discount = { type: 'percent', value: value || '0' };
    }
  }
  if (!ok) return null;
  const taxRate = line.taxRate.trim();
  // No `id`: the PATCH body replaces the lines, and the schema takes none.
  return {
    name: line.name.trim(),
    quantity: line.quantity.trim(),
    unitPrice,
    discount,
    taxRate: taxRate === '' ? null : taxRate,
    ...line.keep,
  };
}

// Engine paths (`lineItems[2].quantity`, `lineItems[0].discount.value`, `adjustments[1].value`) -> form paths.
function formPath(enginePath: string): string {
  if (enginePath === 'currency') return 'currency';
  const adj = /^adjustments\[(\d+)\]/.exec(enginePath);
  if (adj) return `adjustments.${adj[1]}.value`;
  const m = /^lineItems\[(\d+)\]\.?(\w+)?/.exec(enginePath);
  if (!m) return 'totals';
  const field = m[2] === 'discount' ? 'discountValue' : (m[2] ?? 'unitPrice');
  return `lines.${m[1]}.${field}`;
}

const ENGINE_MESSAGES: Record<string, string> = {
  quantity: 'Enter a quantity greater than 0, like 1 or 1.5.',
  taxRate: 'Enter a tax rate between 0 and 100.',
  discountValue: 'The discount must be between 0 and 100% and not larger than the line.',
  value: 'Percentages go from 0 to 100, and a discount cannot be larger than what it applies to.',
  currency: 'Enter a currency the service knows, as a 3-letter ISO code such as USD or EUR.',
};

export interface Checked {
  errors: FormErrors;
  lineItems: LineItem[] | null;
  adjustments: Adjustment[] | null;
  billTo: BillTo | null;
  totals: InvoiceTotals | null;
}

/**
 * Checks the form the way the service will, and computes the totals with the same engine
 * (`computeTotals`) when the lines are valid.
 */
export function checkDraft(form: DraftForm): Checked {
  const errors: FormErrors = {};
  const currency = form.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) errors.currency = ENGINE_MESSAGES.currency!;
  const items = form.lines.map((line, i) => lineToApi(line, i, currency, errors));
  const adjs = form.adjustments.map((adj, i) => adjustmentToApi(adj, i, currency, errors));
  const billTo = billToApi(form.billTo, errors);
  if (form.invoiceDate && form.dueDate && form.dueDate < form.invoiceDate) {
    errors.dueDate = 'The due date cannot be before the invoice date.';
  }
  if (errors.currency || items.some((item) => item === null) || adjs.some((a) => a === null)) {
    return { errors, lineItems: null, adjustments: null, billTo, totals: null };
  }
  const lineItems = items as LineItem[];
  const adjustments = adjs as Adjustment[];
  try {
    const totals = computeTotals({ currency, lines: lineItems, adjustments });
    return { errors, lineItems, adjustments, billTo, totals };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    for (const issue of err.details) {
      const path = formPath(issue.path);
      const field = path.split('.').pop() ?? '';
      errors[path] ??= ENGINE_MESSAGES[field] ?? issue.message;
    }
    return { errors, lineItems: null, adjustments: null, billTo, totals: null };
  }
}

/** The PATCH body for a form that checked clean. */
export function patchBody(form: DraftForm, checked: Checked, version: number): Record<string, unknown> {
  return {
    version,
    currency: form.currency.trim().toUpperCase(),
    domain: form.domain || null,
    billTo: checked.billTo,
    paymentTerms: form.paymentTerms,
    ...(form.invoiceDate ? { invoiceDate: form.invoiceDate } : {}),
    ...(form.paymentTerms === 'custom' && form.dueDate ? { dueDate: form.dueDate } : {}),
    buyerComments: form.buyerComments,
    paymentMethods: form.paymentMethods,
    lineItems: checked.lineItems,
    adjustments: checked.adjustments,
  };
}
