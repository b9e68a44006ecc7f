import { BarChart, Flex, Heading, LoadingSpinner, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useRemote } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import { formatMoney } from '@invoices/shared/lib/format';
import { agingChartRows, BUCKET_LABELS, overdueOf } from '../lib/aging';

/** How much is overdue and by how long: one bar chart and one exact table per currency. */
export function AgingSection() {
  const aging = useRemote(() => api.aging(), 'aging');
  if (aging.state.status === 'loading') return <LoadingSpinner label="Loading the aging report…" />;
  if (aging.state.status === 'error') return <ServiceAlert error={aging.state.error} title="The aging report could not be loaded" onRetry={aging.reload} />;
  const report = aging.state.data;
  if (report.data.length === 0) return <Text>No open invoices, so nothing is aging.</Text>;
  return (
    <Flex direction="column" gap="md">
      <Text variant="microcopy">
        Open balances by days past due on {report.asOf} ({report.timeZone}).
      </Text>
      {report.data.map((row) => {
        const overdue = overdueOf(report, row.currency);
        return (
          <Flex key={row.currency} direction="column" gap="xs">
            <Heading>{row.currency}</Heading>
            <Text testId={`overdue-${row.currency}`}>
              {overdue.count} overdue, {formatMoney(overdue.balance, row.currency)} of {formatMoney(row.total.balance, row.currency)} open
            </Text>
            <BarChart
              testId={`aging-chart-${row.currency}`}
              data={agingChartRows(report, row.currency)}
              axes={{
                x: { field: 'bucket', fieldType: 'category', label: 'Days past due' },
                y: { field: 'balance', fieldType: 'linear', label: `Balance (${row.currency})` },
              }}
              options={{ showTooltips: true, showDataLabels: true }}
            />
            <Table bordered>
              <TableHead>
                <TableRow>
                  {report.buckets.map((b) => (
                    <TableHeader key={b}>{BUCKET_LABELS[b] ?? b}</TableHeader>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                <TableRow>
                  {report.buckets.map((b) => (
                    <TableCell key={b}>{`${formatMoney(row.buckets[b]?.balance ?? 0, row.currency)} (${row.buckets[b]?.count ?? 0})`}</TableCell>
                  ))}
                </TableRow>
              </TableBody>
            </Table>
          </Flex>
        );
      })}
    </Flex>
  );
}
