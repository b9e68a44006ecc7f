import { Flex, LoadingSpinner } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ServiceAlert } from '../../shared/components/ServiceAlert';
import { useAction } from '../../shared/hooks/useRemote';
import { api } from '../../shared/lib/api';
import type { Invoice, ObjectType } from '../../shared/lib/types';
import { useDealQuotes, useRecordInvoices } from '../hooks/useRecordInvoices';
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

  const create = async (name: string, type: ObjectType, id: string) => {
    const invoice = await run(name, () => api.createFromRecord(type, id));
    if (invoice) {
      setCreated(invoice);
      setOpenId(invoice.id);
      invoices.reload();
    }
  };

  if (openId) {
    const listed = invoices.state.status === 'success' ? invoices.state.data.find((i) => i.id === openId) : undefined;
    const invoice = listed ?? (created?.id === openId ? created : undefined);
    if (invoice) {
      return (
        <InvoiceDetail
          invoice={invoice}
          onBack={() => {
            setOpenId(null);
            invoices.reload();
          }}
          onChanged={setCreated}
        />
      );
    }
  }

  return (
    <Flex direction="column" gap="sm">
      {error ? <ServiceAlert error={error} title="The invoice could not be created" /> : null}
      {invoices.state.status === 'loading' ? <LoadingSpinner label="Loading invoices…" /> : null}
      {invoices.state.status === 'error' ? (
        <ServiceAlert error={invoices.state.error} title="Invoices could not be loaded" onRetry={invoices.reload} />
      ) : null}
      {invoices.state.status === 'success' ? <InvoiceList invoices={invoices.state.data} onOpen={setOpenId} /> : null}
      {quotes.state.status === 'error' ? <ServiceAlert error={quotes.state.error} title="Quotes could not be loaded" onRetry={quotes.reload} /> : null}
      {invoices.state.status !== 'loading' ? (
        <CreateActions
          quotes={quotes.state.status === 'success' ? quotes.state.data : []}
          busy={busy}
          onCreate={() => void create('create', objectType, objectId)}
          onFromQuote={(quoteId) => void create(`quote-${quoteId}`, 'quotes', quoteId)}
        />
      ) : null}
    </Flex>
  );
}
