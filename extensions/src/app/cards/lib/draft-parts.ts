/**
 * The parts of a draft form around the lines: invoice-level adjustments (discounts, fees,
 * taxes) and the billing contact, as typed and as the API takes them.
 */
import { decimalStringToMinor, minorToDecimalString } from '@invoices/shared/lib/domain';
import type { Adjustment, BillTo } from '@invoices/shared/lib/types';

/** Field path -> message (shared with draft-form). */
type FormErrors = Record<string, string>;

let keySeq = 0;
const nextKey = () => `adj-new-${++keySeq}`;

function money(amount: number, currency: string): string {
  try {
    return minorToDecimalString(amount, currency);
  } catch {
    return String(amount);
  }
}

/** An invoice-level discount, fee or tax as typed: `value` is a percent or major units by `type`. */
export interface AdjustmentForm {
  key: string;
  kind: Adjustment['kind'];
  label: string;
  type: Adjustment['type'];
  value: string;
}

/** The billing contact's editable fields; `contactId` is kept as it came. */
export interface BillToForm {
  contactId: string | null;
  name: string;
  email: string;
  companyName: string;
  /** Not edited in the card; sent back unchanged. */
  address: BillTo['address'];
}

export function adjustmentFormFrom(adj: Adjustment, currency: string, index: number): AdjustmentForm {
  return {
    key: `adj-${index}`,
    kind: adj.kind,
    label: adj.label ?? '',
    type: adj.type,
    value: adj.type === 'amount' ? money(Number(adj.value), currency) : adj.value,
  };
}

/** A new invoice-level adjustment of `kind`, as a percentage to fill in. */
export function emptyAdjustment(kind: Adjustment['kind']): AdjustmentForm {
  return { key: nextKey(), kind, label: '', type: 'percent', value: '' };
}

export function billToForm(billTo: BillTo | null): BillToForm {
  return {
    contactId: billTo?.contactId ?? null,
    name: billTo?.name ?? '',
    email: billTo?.email ?? '',
    companyName: billTo?.companyName ?? '',
    address: billTo?.address ?? null,
  };
}

/** One adjustment for the engine and the API (amounts in minor units), or null with its problem. */
export function adjustmentToApi(adj: AdjustmentForm, i: number, currency: string, errors: FormErrors): Adjustment | null {
  const at = `adjustments.${i}.value`;
  const value = adj.value.trim();
  if (value === '') {
    errors[at] = adj.type === 'percent' ? 'Enter a percentage, like 5.' : 'Enter an amount, like 25.00.';
    return null;
  }
  if (value.startsWith('-')) {
    errors[at] = `A ${adj.kind} cannot be negative.`;
    return null;
  }
  let apiValue = value;
  if (adj.type === 'amount') {
    try {
      apiValue = String(decimalStringToMinor(value, currency, at));
    } catch {
      errors[at] = 'Enter the amount as a number, like 25.00.';
      return null;
    }
  }
  return { kind: adj.kind, label: adj.label.trim(), type: adj.type, value: apiValue };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The billing contact for the API: null when every field is empty. */
export function billToApi(form: BillToForm, errors: FormErrors): BillTo | null {
  const name = form.name.trim();
  const email = form.email.trim();
  const companyName = form.companyName.trim();
  if (email && !EMAIL.test(email)) errors['billTo.email'] = 'Enter an email address like ada@example.com.';
  if (!name && !email && !companyName && !form.contactId) return null;
  return {
    contactId: form.contactId,
    name: name || null,
    email: email || null,
    companyName: companyName || null,
    ...(form.address ? { address: form.address } : {}),
  };
}
