import type { PaymentMethod, PaymentTerms } from './types';

/** Payment terms as the draft editor offers them; `custom` means the rep picks the due date. */
export const PAYMENT_TERMS_OPTIONS: { label: string; value: PaymentTerms }[] = [
  { label: 'Due on receipt', value: 'due_on_receipt' },
  { label: 'Net 15', value: 'net_15' },
  { label: 'Net 30', value: 'net_30' },
  { label: 'Net 45', value: 'net_45' },
  { label: 'Net 60', value: 'net_60' },
  { label: 'Custom due date', value: 'custom' },
];

/** Terms a portal may set as its default: a custom due date belongs to one invoice, not a default. */
export const DEFAULT_TERMS_OPTIONS = PAYMENT_TERMS_OPTIONS.filter((o) => o.value !== 'custom');

/** How a buyer may pay online. */
export const PAYMENT_METHOD_OPTIONS: { label: string; value: PaymentMethod }[] = [
  { label: 'Card', value: 'card' },
  { label: 'ACH bank transfer', value: 'ach' },
];
