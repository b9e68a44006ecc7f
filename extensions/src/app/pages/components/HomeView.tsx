import { Divider, Flex, Heading, LoadingSpinner, Tab, Tabs } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useAction, useRemote } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import { permissionsOf } from '@invoices/shared/lib/permissions';
import type { Invoice, InvoiceView, Permissions } from '@invoices/shared/lib/types';
import { AgingSection } from './AgingSection';
import { ExportPanel } from './ExportPanel';
import { InvoiceTable } from './InvoiceTable';
import { NewViewForm } from './NewViewForm';
import { SavedViewTab } from './SavedViewTab';

export const VIEWS: { id: InvoiceView; title: string; empty: string }[] = [
  { id: 'overdue', title: 'Overdue', empty: 'Nothing is overdue.' },
  { id: 'due_this_month', title: 'Due this month', empty: 'Nothing falls due this month.' },
  { id: 'paid', title: 'Paid', empty: 'No paid invoices yet.' },
];

interface BuiltIn {
  lists: Record<InvoiceView, Invoice[]>;
  permissions: Permissions;
}

async function loadBuiltIn(): Promise<BuiltIn> {
  const pages = await Promise.all(VIEWS.map((v) => api.listView(v.id)));
  return {
    lists: Object.fromEntries(VIEWS.map((v, i) => [v.id, pages[i]?.data ?? []])) as Record<InvoiceView, Invoice[]>,
    permissions: permissionsOf(pages[0]),
  };
}

/** The app home: the saved views (overdue with aging, due this month, paid, the user's own) and exports. */
export function HomeView() {
  const builtIn = useRemote(loadBuiltIn, 'home');
  const views = useRemote(async () => (await api.listViews()).data, 'views');
  const [selected, setSelected] = useState<string>('overdue');
  const del = useAction();

  if (builtIn.state.status === 'loading') return <LoadingSpinner label="Loading invoices…" />;
  if (builtIn.state.status === 'error') return <ServiceAlert error={builtIn.state.error} title="Invoices could not be loaded" onRetry={builtIn.reload} />;
  const { lists, permissions } = builtIn.state.data;
  const own = views.state.status === 'success' ? views.state.data : [];

  const remove = async (id: string) => {
    const done = await del.run(id, async () => {
      await api.deleteView(id);
      return true;
    });
    if (done) {
      setSelected('overdue');
      views.reload();
    }
  };

  return (
    <Flex direction="column" gap="md">
      {views.state.status === 'error' ? <ServiceAlert error={views.state.error} title="Your saved views could not be loaded" onRetry={views.reload} /> : null}
      {del.error ? <ServiceAlert error={del.error} title="The view was not deleted" /> : null}
      <Tabs selected={selected} onSelectedChange={(id: number | string) => setSelected(String(id))}>
        {VIEWS.map((v) => (
          <Tab key={v.id} tabId={v.id} title={`${v.title} (${lists[v.id].length})`}>
            <Flex direction="column" gap="md">
              {v.id === 'overdue' ? <AgingSection /> : null}
              <InvoiceTable invoices={lists[v.id]} empty={v.empty} />
            </Flex>
          </Tab>
        ))}
        {own.map((view) => (
          <Tab key={view.id} tabId={view.id} title={view.name}>
            <SavedViewTab view={view} deleting={del.busy !== null} onDelete={() => void remove(view.id)} />
          </Tab>
        ))}
        <Tab tabId="new-view" title="+ New view">
          <NewViewForm
            onCreated={(view) => {
              views.reload();
              setSelected(view.id);
            }}
          />
        </Tab>
      </Tabs>
      {permissions.export ? (
        <>
          <Divider />
          <Heading>Export for accounting</Heading>
          <ExportPanel />
        </>
      ) : null}
    </Flex>
  );
}
