import { daysBetween } from './dates.js';
import { DomainError, type FieldIssue } from './errors.js';

/** Stored invoice statuses. "Overdue" is not a status: it is derived from the due date. */
export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

const TRANSITIONS: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  draft: ['open'],
  open: ['paid', 'void'],
  // A refund can reopen a paid invoice.
  paid: ['open'],
  void: [],
};

/** True when the lifecycle allows `from` -> `to` (mirrored by a database trigger). */
export function canTransition(from: InvoiceStatus, to: InvoiceStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Only drafts can be edited or deleted; finalized invoices are immutable documents. */
export function assertDraft(status: InvoiceStatus): void {
  if (status !== 'draft') {
    throw new DomainError('invoice_not_editable', `The invoice is ${status}: only drafts can be changed`);
  }
}

/** Whether an invoice is past due on `today` (the portal's local date), and by how many days. */
export function pastDueOn(invoice: { status: InvoiceStatus; dueDate: string }, today: string): { pastDue: boolean; daysPastDue: number } {
  if (invoice.status !== 'open') return { pastDue: false, daysPastDue: 0 };
  const days = daysBetween(invoice.dueDate, today);
  return days > 0 ? { pastDue: true, daysPastDue: days } : { pastDue: false, daysPastDue: 0 };
}

/** What a draft needs before it can be finalized. */
export interface FinalizeCandidate {
  status: InvoiceStatus;
  lineCount: number;
  billTo: { name?: string | null; email?: string | null } | null;
  total: number;
}

/** Throws `invoice_not_finalizable` listing every reason a draft cannot be finalized yet. */
export function assertFinalizable(candidate: FinalizeCandidate): void {
  assertDraft(candidate.status);
  const reasons: FieldIssue[] = [];
  if (candidate.lineCount < 1) reasons.push({ path: 'lineItems', message: 'needs at least one line item' });
  if (!candidate.billTo?.name || !candidate.billTo.email) {
    reasons.push({ path: 'billTo', message: 'needs a billing contact with a name and an email' });
  }
  if (candidate.total < 0) reasons.push({ path: 'total', message: 'must not be negative' });
  if (reasons.length > 0) {
    throw new DomainError('invoice_not_finalizable', `The invoice cannot be finalized: ${reasons.map((r) => `${r.path} ${r.message}`).join('; ')}`, reasons);
  }
}
