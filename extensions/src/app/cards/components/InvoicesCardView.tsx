import { Flex, LoadingButton, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { useRef, useState } from 'react';
import { ALL_ALLOWED } from '@invoices/shared/lib/permissions';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useAction } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import type { Invoice, ObjectType } from '@invoices/shared/lib/types';
import { useDealQuotes, useRecordInvoices } from '../hooks/useRecordInvoices';
import { newRequestId } from '../lib/request-id';
import { CreateActions } from './CreateActions';
import { InvoiceDetail } from './InvoiceDetail';
import { InvoiceList } from './InvoiceList';

/** The "Invoices" sidebar card for one contact, company or deal. */
export function InvoicesCardView({ objectType, objectId }: { objectType: ObjectType; objectId: string }) {
  const invoices = useRecordInvoices(objectType, objectId);
  const quotes = useDealQuotes(objectType, objectId);
  const [openId, setOpenId] = useState<string | null>(null);
  const [created, setCreated] = useState<Invoice | null>(null);
  const { busy, error, run } = useAction();
  const loaded = invoices.state.status === 'success' ? invoices.state.data : null;
  // Kept across reloads, so a just-created draft opens while the list refreshes behind it.
  const permissions = useRef(ALL_ALLOWED);
  if (loaded) permissions.current = loaded.permissions;

  const create = async (name: string, type: ObjectType, id: string) => {
    // One id per click, made before the call: HubSpot's retry of this request resends the same id.
    const requestId = newRequestId();
    const invoice = await run(name, () => api.createFromRecord(type, id, requestId));
    if (invoice) {
      setCreated(invoice);
      setOpenId(invoice.id);
      invoices.reload();
    }
  };

  const backToList = () => {
    setOpenId(null);
    invoices.reload();
  };

  if (openId) {
    const invoice = loaded?.invoices.find((i) => i.id === openId) ?? (created?.id === openId ? created : undefined);
    if (invoice) {
      return (
        <InvoiceDetail
          invoice={invoice}
          permissions={permissions.current}
          record={{ objectType, objectId }}
          onBack={backToList}
          onChanged={setCreated}
          onDeleted={backToList}
        />
      );
    }
  }

  return (
    <Flex direction="column" gap="sm">
      {error ? <ServiceAlert error={error} title="The invoice could not be created" /> : null}
      {invoices.state.status === 'loading' ? <LoadingSpinner label="Loading invoices…" /> : null}
      {invoices.state.status === 'error' ? <ServiceAlert error={invoices.state.error} title="Invoices could not be loaded" onRetry={invoices.reload} /> : null}
      {loaded ? <InvoiceList invoices={loaded.invoices} onOpen={setOpenId} /> : null}
      {invoices.moreError ? <ServiceAlert error={invoices.moreError} title="More invoices could not be loaded" /> : null}
      {loaded?.nextCursor ? (
        <LoadingButton size="xs" variant="secondary" testId="load-more" loading={invoices.loadingMore} onClick={() => void invoices.loadMore()}>
          Show more invoices
        </LoadingButton>
      ) : null}
      {quotes.state.status === 'error' ? <ServiceAlert error={quotes.state.error} title="Quotes could not be loaded" onRetry={quotes.reload} /> : null}
      {loaded && loaded.permissions.edit ? (
        <CreateActions
          quotes={quotes.state.status === 'success' ? quotes.state.data : []}
          busy={busy}
          onCreate={() => void create('create', objectType, objectId)}
          onFromQuote={(quoteId) => void create(`quote-${quoteId}`, 'quotes', quoteId)}
        />
      ) : null}
      {loaded && !loaded.permissions.edit ? <Text variant="microcopy">You can view these invoices. Ask an admin for edit access to create one.</Text> : null}
    </Flex>
  );
}
