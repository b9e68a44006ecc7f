import { EmptyState, Flex, LoadingSpinner, Tab, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tabs, Text } from '@hubspot/ui-extensions';
import { ServiceAlert } from '../../shared/components/ServiceAlert';
import { useRemote } from '../../shared/hooks/useRemote';
import { api } from '../../shared/lib/api';
import { formatDate, formatMoney } from '../../shared/lib/format';
import type { Invoice, InvoiceView } from '../../shared/lib/types';

export const VIEWS: { id: InvoiceView; title: string; empty: string }[] = [
  { id: 'overdue', title: 'Overdue', empty: 'Nothing is overdue.' },
  { id: 'due_this_month', title: 'Due this month', empty: 'Nothing falls due this month.' },
  { id: 'paid', title: 'Paid', empty: 'No paid invoices yet.' },
];

async function loadViews(): Promise<Record<InvoiceView, Invoice[]>> {
  const pages = await Promise.all(VIEWS.map((v) => api.listView(v.id)));
  return Object.fromEntries(VIEWS.map((v, i) => [v.id, pages[i]?.data ?? []])) as Record<InvoiceView, Invoice[]>;
}

/** The app home: the saved views with their counts. */
export function HomeView() {
  const views = useRemote(loadViews, 'home');
  if (views.state.status === 'loading') return <LoadingSpinner label="Loading invoices…" />;
  if (views.state.status === 'error') return <ServiceAlert error={views.state.error} title="Invoices could not be loaded" onRetry={views.reload} />;
  const data = views.state.data;
  return (
    <Tabs defaultSelected="overdue">
      {VIEWS.map((v) => (
        <Tab key={v.id} tabId={v.id} title={`${v.title} (${data[v.id].length})`}>
          <ViewTable invoices={data[v.id]} empty={v.empty} />
        </Tab>
      ))}
    </Tabs>
  );
}

function ViewTable({ invoices, empty }: { invoices: Invoice[]; empty: string }) {
  if (invoices.length === 0) {
    return (
      <EmptyState title={empty} layout="vertical">
        <Text>Invoices appear here as soon as they match this view.</Text>
      </EmptyState>
    );
  }
  return (
    <Flex direction="column" gap="sm">
      <Table bordered>
        <TableHead>
          <TableRow>
            <TableHeader>Invoice</TableHeader>
            <TableHeader>Bill to</TableHeader>
            <TableHeader>Total</TableHeader>
            <TableHeader>Balance</TableHeader>
            <TableHeader>Due</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {invoices.map((inv) => (
            <TableRow key={inv.id}>
              <TableCell>{inv.number ?? 'Draft'}</TableCell>
              <TableCell>{inv.billTo?.companyName ?? inv.billTo?.name ?? '—'}</TableCell>
              <TableCell>{formatMoney(inv.total, inv.currency)}</TableCell>
              <TableCell>{formatMoney(inv.balanceDue, inv.currency)}</TableCell>
              <TableCell>{formatDate(inv.dueDate)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}
