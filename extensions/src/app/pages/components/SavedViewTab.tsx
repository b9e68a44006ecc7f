import { Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { ConfirmButton } from '@invoices/shared/components/ConfirmButton';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useRemote } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import type { SavedView } from '@invoices/shared/lib/types';
import { describeFilters } from '../lib/view-form';
import { InvoiceTable } from './InvoiceTable';

/** One of the user's own views: its filters, its invoices, and Delete. */
export function SavedViewTab({ view, deleting, onDelete }: { view: SavedView; deleting: boolean; onDelete: () => void }) {
  const invoices = useRemote(async () => (await api.listFiltered(view.filters)).data, `view-${view.id}`);
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm" align="center" justify="between">
        <Text variant="microcopy">Filters: {describeFilters(view.filters)}</Text>
        <ConfirmButton
          id={`delete-view-${view.id}`}
          label="Delete view"
          title={`Delete the view "${view.name}"?`}
          message="Only the view is deleted; its invoices stay as they are."
          confirmLabel="Delete view"
          danger
          disabled={deleting}
          onConfirm={onDelete}
        />
      </Flex>
      {invoices.state.status === 'loading' ? <LoadingSpinner label="Loading invoices…" /> : null}
      {invoices.state.status === 'error' ? <ServiceAlert error={invoices.state.error} title="This view could not be loaded" onRetry={invoices.reload} /> : null}
      {invoices.state.status === 'success' ? <InvoiceTable invoices={invoices.state.data} empty="No invoices match this view." /> : null}
    </Flex>
  );
}
