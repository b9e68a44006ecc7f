import type { Invoice } from '@invoices/shared/lib/types';

export type TagVariant = 'default' | 'warning' | 'success' | 'error' | 'info';

/** The status a person reads: draft, open, past due (with days), partially paid, paid, void. */
export function invoiceStatusLabel(inv: Pick<Invoice, 'status' | 'pastDue' | 'daysPastDue' | 'amountPaid'>): {
  label: string;
  variant: TagVariant;
} {
  switch (inv.status) {
    case 'draft':
      return { label: 'Draft', variant: 'default' };
    case 'paid':
      return { label: 'Paid', variant: 'success' };
    case 'void':
      return { label: 'Void', variant: 'default' };
    case 'open':
      if (inv.pastDue) {
        const days = inv.daysPastDue;
        return { label: `Past due ${days} ${days === 1 ? 'day' : 'days'}`, variant: 'error' };
      }
      if (inv.amountPaid > 0) return { label: 'Partially paid', variant: 'warning' };
      return { label: 'Open', variant: 'info' };
    default:
      return { label: String(inv.status), variant: 'default' };
  }
}

/** Number once finalized, "Draft" before. */
export function invoiceTitle(inv: Pick<Invoice, 'number'>): string {
  return inv.number ?? 'Draft';
}
