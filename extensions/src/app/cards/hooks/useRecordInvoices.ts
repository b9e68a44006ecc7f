import { useAction, useRemote } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import { permissionsOf } from '@invoices/shared/lib/permissions';
import type { Invoice, ObjectType, Permissions, Quote, Settings } from '@invoices/shared/lib/types';

/** The record's invoices so far, what the user may do with them, and where the next page starts. */
export interface RecordInvoices {
  invoices: Invoice[];
  permissions: Permissions;
  nextCursor: string | null;
}

/** The invoices associated with the record (loading / success / error), with "load more". */
export function useRecordInvoices(objectType: ObjectType, objectId: string) {
  const remote = useRemote<RecordInvoices>(async () => {
    const page = await api.recordInvoices(objectType, objectId);
    return { invoices: page.data, permissions: permissionsOf(page), nextCursor: page.nextCursor };
  }, `${objectType}/${objectId}`);
  const more = useAction();

  const loadMore = async () => {
    if (remote.state.status !== 'success' || !remote.state.data.nextCursor) return;
    const current = remote.state.data;
    const page = await more.run('more', () => api.recordInvoices(objectType, objectId, current.nextCursor));
    if (!page) return;
    const seen = new Set(current.invoices.map((i) => i.id));
    remote.set({
      invoices: [...current.invoices, ...page.data.filter((i) => !seen.has(i.id))],
      permissions: page.permissions ? permissionsOf(page) : current.permissions,
      nextCursor: page.nextCursor,
    });
  };

  return { ...remote, loadMore, loadingMore: more.busy !== null, moreError: more.error };
}

/** A deal's quotes; other records have none to convert. */
export function useDealQuotes(objectType: ObjectType, objectId: string) {
  return useRemote<Quote[]>(async () => (objectType === 'deals' ? (await api.dealQuotes(objectId)).data : []), `${objectType}/${objectId}`);
}

/**
 * The account settings a draft editor uses (domains, the next number's preview). Optional: when
 * they cannot be read the editor works without them, so this never fails.
 */
export function useDraftSettings() {
  return useRemote<Settings | null>(() => api.getSettings().catch(() => null), 'settings');
}
