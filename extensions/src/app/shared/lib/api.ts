/**
 * The one place the cards talk to the service: every request goes through `hubspot.fetch`
 * (HubSpot signs it and adds portal and user) with a timeout, and every failure becomes a
 * {@link ServiceError} with a sentence a user can act on.
 */
import { hubspot } from '@hubspot/ui-extensions';
import { isErrorCode, type ErrorCode } from './domain';
import { REQUEST_TIMEOUT_MS, SERVICE_ORIGIN } from './service-config';
import type {
  AgingReport,
  ExportBatch,
  ExportFormat,
  ExportLink,
  Invoice,
  InvoicePage,
  InvoiceView,
  LineItemSourceType,
  ObjectType,
  Page,
  PaymentRecordMethod,
  Permissions,
  Quote,
  RecordLineItems,
  SavedView,
  Settings,
  StripeConnection,
  UserPermissions,
  UserSummary,
} from './types';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One problem with one field, as the service names it (`lineItems[0].name`). */
export interface ServiceIssue {
  path: string;
  message: string;
}

/**
 * A failed request's code: one of the service's error codes (a newer service may send codes this
 * card does not know yet, kept as they are), or the card's own when there was no usable answer.
 */
export type ServiceErrorCode = ErrorCode | 'network_error' | 'bad_response' | `http_${number}` | (string & {});

/** A request that did not succeed; `message` is ready to show. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: ServiceErrorCode,
    message: string,
    readonly details: ServiceIssue[] = [],
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

// Codes whose service message is written for developers; the cards say it for people. Keyed by the
// service's own code list, so a misspelt or retired code is a type error.
const FRIENDLY: Partial<Record<ErrorCode | 'network_error', string>> = {
  hubspot_reauth_required: 'The Invoices app lost its connection to HubSpot. Ask an admin to reconnect it, then try again.',
  portal_not_installed: 'The Invoices app is not installed for this account. Ask an admin to install it.',
  unauthenticated: 'The invoicing service could not verify this request. Reload the page and try again.',
  forbidden: 'You do not have permission to do this. Ask an admin to grant it in the app settings.',
  not_found: 'It no longer exists (it may have been deleted). Reload and try again.',
  version_conflict: 'Someone else changed this invoice in the meantime. Reload it and make your change again.',
  invoice_not_editable: 'This invoice is final and can no longer be changed.',
  rate_limited: 'Too many requests right now. Wait a moment and try again.',
  upstream_error: 'HubSpot did not answer in time. Try again in a moment.',
  network_error: 'The invoicing service could not be reached. Check your connection and try again.',
};

function fallbackMessage(status: number): string {
  if (status >= 500) return 'The invoicing service had a problem. Try again in a moment.';
  return `The invoicing service refused the request (HTTP ${status}).`;
}

/** Calls the service and returns its JSON; throws {@link ServiceError} for anything else. */
export async function request<T>(method: Method, path: string, body?: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await hubspot.fetch(`${SERVICE_ORIGIN}${path}`, {
      method,
      timeout: REQUEST_TIMEOUT_MS,
      ...(body === undefined ? {} : { body }),
    });
  } catch {
    throw new ServiceError(0, 'network_error', FRIENDLY.network_error!);
  }
  if (response.status === 204) return undefined as T;
  let payload: unknown;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
    const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
    const serviceMessage = typeof error?.message === 'string' && error.message ? error.message : null;
    const details = Array.isArray(error?.details) ? (error.details as ServiceIssue[]) : [];
    throw new ServiceError(
      response.status,
      code,
      (isErrorCode(code) ? FRIENDLY[code] : undefined) ?? serviceMessage ?? fallbackMessage(response.status),
      details,
    );
  }
  if (payload === null) throw new ServiceError(response.status, 'bad_response', 'The invoicing service sent an answer the card cannot read.');
  return payload as T;
}

const enc = encodeURIComponent;

/** `?a=1&b=2` from the defined entries, in their order (empty string when none). */
export function queryString(params: Record<string, string | number | boolean | null | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Typed calls, one per endpoint the cards use (docs/api.md). */
export const api = {
  recordInvoices: (objectType: ObjectType, objectId: string, cursor?: string | null) =>
    request<InvoicePage>('GET', `/api/v1/records/${enc(objectType)}/${enc(objectId)}/invoices${queryString({ cursor })}`),
  recordLineItems: (objectType: LineItemSourceType, objectId: string) =>
    request<RecordLineItems>('GET', `/api/v1/records/${enc(objectType)}/${enc(objectId)}/line-items`),
  dealQuotes: (dealId: string) => request<Page<Quote>>('GET', `/api/v1/records/deals/${enc(dealId)}/quotes`),
  createFromRecord: (objectType: ObjectType, objectId: string) => request<Invoice>('POST', '/api/v1/invoices', { source: { objectType, objectId } }),
  getInvoice: (id: string) => request<Invoice>('GET', `/api/v1/invoices/${enc(id)}`),
  updateInvoice: (id: string, body: Record<string, unknown>) => request<Invoice>('PATCH', `/api/v1/invoices/${enc(id)}`, body),
  finalizeInvoice: (id: string) => request<Invoice>('POST', `/api/v1/invoices/${enc(id)}/finalize`),
  voidInvoice: (id: string, reason: string) => request<Invoice>('POST', `/api/v1/invoices/${enc(id)}/void`, { reason }),
  recordPayment: (id: string, payment: { amount: number; method: PaymentRecordMethod; reference?: string }) =>
    request<Invoice>('POST', `/api/v1/invoices/${enc(id)}/payments`, payment),
  deleteInvoice: (id: string) => request<void>('DELETE', `/api/v1/invoices/${enc(id)}`),
  resyncInvoice: (id: string) => request<Invoice>('POST', `/api/v1/invoices/${enc(id)}/resync`),
  listView: (view: InvoiceView) => request<InvoicePage>('GET', `/api/v1/invoices?view=${enc(view)}&limit=200`),
  /** A saved view's filters as the list's query string. */
  listFiltered: (filters: Record<string, string | number>) => request<InvoicePage>('GET', `/api/v1/invoices${queryString({ ...filters, limit: 200 })}`),
  /** The caller's effective permissions (carried by every invoice list; one row is enough). */
  myPermissions: async (): Promise<Permissions | null> => (await request<InvoicePage>('GET', '/api/v1/invoices?limit=1')).permissions ?? null,
  getSettings: () => request<Settings>('GET', '/api/v1/settings'),
  updateSettings: (body: Record<string, unknown>) => request<Settings>('PUT', '/api/v1/settings', body),
  listViews: () => request<Page<SavedView>>('GET', '/api/v1/views'),
  createView: (name: string, filters: Record<string, string | number>) => request<SavedView>('POST', '/api/v1/views', { name, filters }),
  deleteView: (id: string) => request<void>('DELETE', `/api/v1/views/${enc(id)}`),
  aging: () => request<AgingReport>('GET', '/api/v1/reports/aging'),
  exportLink: (body: { format: ExportFormat; from?: string; to?: string; status?: string; incremental?: boolean }) =>
    request<ExportLink>('POST', '/api/v1/exports/links', body),
  exportBatches: () => request<Page<ExportBatch>>('GET', '/api/v1/exports/batches'),
  stripeConnection: () => request<StripeConnection>('GET', '/api/v1/stripe/connection'),
  stripeConnect: () => request<{ url: string }>('POST', '/api/v1/stripe/connect'),
  stripeDisconnect: () => request<void>('DELETE', '/api/v1/stripe/connection'),
  listUsers: () => request<Page<UserSummary>>('GET', '/api/v1/users'),
  userPermissions: (userId: string) => request<UserPermissions>('GET', `/api/v1/users/${enc(userId)}/permissions`),
  setUserPermissions: (userId: string, explicit: Partial<Permissions>) =>
    request<UserPermissions>('PUT', `/api/v1/users/${enc(userId)}/permissions`, { explicit }),
};
