import { addDays, daysBetween } from './dates.js';
import { invalidField } from './errors.js';

/** Payment terms an invoice can carry; `custom` means the due date is given explicitly. */
export const PAYMENT_TERMS = ['due_on_receipt', 'net_15', 'net_30', 'net_45', 'net_60', 'custom'] as const;
export type PaymentTerms = (typeof PAYMENT_TERMS)[number];

const TERM_DAYS: Record<Exclude<PaymentTerms, 'custom'>, number> = {
  due_on_receipt: 0,
  net_15: 15,
  net_30: 30,
  net_45: 45,
  net_60: 60,
};

/**
 * The due date the terms give. For fixed terms an explicit `dueDate` must agree with them (so a
 * client cannot store "net_30" with a 10-day due date); `custom` needs one on or after the
 * invoice date.
 */
export function dueDateFor(terms: PaymentTerms, invoiceDate: string, dueDate?: string | null): string {
  if (terms === 'custom') {
    if (!dueDate) throw invalidField('dueDate', 'is required when paymentTerms is "custom"');
    if (daysBetween(invoiceDate, dueDate) < 0) throw invalidField('dueDate', 'must not be before invoiceDate');
    return dueDate;
  }
  const computed = addDays(invoiceDate, TERM_DAYS[terms]);
  if (dueDate && dueDate !== computed) {
    throw invalidField('dueDate', `must be ${computed} for ${terms}; use paymentTerms "custom" for another date`);
  }
  return computed;
}
