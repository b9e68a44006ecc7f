/** The "new view" form: a name and the list filters a saved view may hold (GET /api/v1/invoices). */
import { decimalStringToMinor } from '@invoices/shared/lib/domain';
import type { InvoiceStatus } from '@invoices/shared/lib/types';

export interface ViewForm {
  name: string;
  status: '' | InvoiceStatus;
  currency: string;
  dueFrom: string | null;
  dueTo: string | null;
  /** Major units as typed, in `currency`. */
  minBalance: string;
  q: string;
}

export const emptyViewForm = (): ViewForm => ({ name: '', status: '', currency: '', dueFrom: null, dueTo: null, minBalance: '', q: '' });

/** The filters to save, or the problems by field. */
export function viewFilters(form: ViewForm): { filters: Record<string, string | number> } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const filters: Record<string, string | number> = {};
  if (!form.name.trim()) errors.name = 'Give the view a name.';
  if (form.status) filters.status = form.status;
  const currency = form.currency.trim().toUpperCase();
  if (currency) {
    if (/^[A-Z]{3}$/.test(currency)) filters.currency = currency;
    else errors.currency = 'Enter a 3-letter ISO currency code such as USD.';
  }
  if (form.dueFrom) filters.dueFrom = form.dueFrom;
  if (form.dueTo) filters.dueTo = form.dueTo;
  if (form.dueFrom && form.dueTo && form.dueTo < form.dueFrom) errors.dueTo = '"Due until" cannot be before "due from".';
  const min = form.minBalance.trim();
  if (min) {
    if (!filters.currency) errors.minBalance = 'Pick a currency to filter by balance.';
    else {
      try {
        const minor = decimalStringToMinor(min, String(filters.currency), 'minBalance');
        if (minor < 0) throw new Error('negative');
        filters.minBalance = minor;
      } catch {
        errors.minBalance = 'Enter an amount like 1000.00.';
      }
    }
  }
  if (form.q.trim()) filters.q = form.q.trim();
  return Object.keys(errors).length ? { errors } : { filters };
}

/** "status: open, currency: EUR" for a saved view's filters. */
export function describeFilters(filters: Record<string, unknown>): string {
  const entries = Object.entries(filters);
  return entries.length ? entries.map(([k, v]) => `${k}: ${String(v)}`).join(', ') : 'all invoices';
}
