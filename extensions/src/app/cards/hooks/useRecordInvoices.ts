import { api } from '../../shared/lib/api';
import type { Invoice, ObjectType, Quote } from '../../shared/lib/types';
import { useRemote } from '../../shared/hooks/useRemote';

/** The invoices associated with the record (loading / success / error). */
export function useRecordInvoices(objectType: ObjectType, objectId: string) {
  return useRemote<Invoice[]>(
    async () => (await api.recordInvoices(objectType, objectId)).data,
    `${objectType}/${objectId}`,
  );
}

/** A deal's quotes; other records have none to convert. */
export function useDealQuotes(objectType: ObjectType, objectId: string) {
  return useRemote<Quote[]>(
    async () => (objectType === 'deals' ? (await api.dealQuotes(objectId)).data : []),
    `${objectType}/${objectId}`,
  );
}

/** One invoice, reloaded when `id` changes. */
export function useInvoice(id: string) {
  return useRemote<Invoice>(() => api.getInvoice(id), id);
}
