import { Tag } from '@hubspot/ui-extensions';
import type { Invoice } from '@invoices/shared/lib/types';
import { invoiceStatusLabel } from '../lib/status';

export function InvoiceStatusTag({ invoice }: { invoice: Invoice }) {
  const { label, variant } = invoiceStatusLabel(invoice);
  return <Tag variant={variant}>{label}</Tag>;
}
