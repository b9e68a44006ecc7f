import { Button, EmptyState, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import { formatDate, formatMoney } from '@invoices/shared/lib/format';
import type { Invoice } from '@invoices/shared/lib/types';
import { invoiceTitle } from '../lib/status';
import { InvoiceStatusTag } from './InvoiceStatusTag';

/** The record's invoices: number (or Draft), status, total, balance, due date. */
export function InvoiceList({ invoices, onOpen }: { invoices: Invoice[]; onOpen: (id: string) => void }) {
  if (invoices.length === 0) {
    return (
      <EmptyState title="No invoices yet" layout="vertical" reverseOrder>
        <Text>Create an invoice from this record to bill it and share a payment link.</Text>
      </EmptyState>
    );
  }
  return (
    <Table bordered>
      <TableHead>
        <TableRow>
          <TableHeader>Invoice</TableHeader>
          <TableHeader>Status</TableHeader>
          <TableHeader>Total</TableHeader>
          <TableHeader>Balance</TableHeader>
          <TableHeader>Due</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {invoices.map((inv) => (
          <TableRow key={inv.id}>
            <TableCell>
              <Button variant="transparent" size="xs" testId={`open-${inv.id}`} onClick={() => onOpen(inv.id)}>
                {invoiceTitle(inv)}
              </Button>
            </TableCell>
            <TableCell>
              <InvoiceStatusTag invoice={inv} />
            </TableCell>
            <TableCell>{formatMoney(inv.total, inv.currency)}</TableCell>
            <TableCell>{formatMoney(inv.balanceDue, inv.currency)}</TableCell>
            <TableCell>{formatDate(inv.dueDate)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
