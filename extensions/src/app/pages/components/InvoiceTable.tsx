import { EmptyState, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import { formatDate, formatMoney } from '@invoices/shared/lib/format';
import type { Invoice } from '@invoices/shared/lib/types';

/** Invoices of one view: number, bill-to, total, balance, due date (or an empty state). */
export function InvoiceTable({ invoices, empty }: { invoices: Invoice[]; empty: string }) {
  if (invoices.length === 0) {
    return (
      <EmptyState title={empty} layout="vertical">
        <Text>Invoices appear here as soon as they match this view.</Text>
      </EmptyState>
    );
  }
  return (
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
            <TableCell>{inv.pastDue ? `${formatDate(inv.dueDate)} (${inv.daysPastDue} days late)` : formatDate(inv.dueDate)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
