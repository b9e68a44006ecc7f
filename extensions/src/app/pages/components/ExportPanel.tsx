import {
  Button,
  DateInput,
  Flex,
  LoadingButton,
  LoadingSpinner,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  Toggle,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useAction, useRemote } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import { datePartsToIso, isoToDateParts } from '@invoices/shared/lib/format';
import { EXPORT_FORMATS, type ExportFormat, type ExportLink } from '@invoices/shared/lib/types';

export const FORMAT_LABELS: Record<ExportFormat, string> = {
  'xero-csv': 'Xero CSV',
  'qbo-csv': 'QuickBooks Online CSV',
  'qbd-iif': 'QuickBooks Desktop IIF',
  csv: 'CSV',
  json: 'JSON',
};

const STATUSES = [
  { label: 'Every finalized invoice', value: '' },
  { label: 'Open', value: 'open' },
  { label: 'Paid', value: 'paid' },
  { label: 'Void', value: 'void' },
];

/**
 * Exports for accounting. A card cannot send headers or save files, so the service signs a
 * short-lived download link (POST /api/v1/exports/links) and the link opens in a new tab.
 */
export function ExportPanel() {
  const [incremental, setIncremental] = useState(true);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [link, setLink] = useState<(ExportLink & { format: ExportFormat }) | null>(null);
  const { busy, error, run } = useAction();
  const batches = useRemote(async () => (await api.exportBatches()).data, 'batches');

  const prepare = async (format: ExportFormat) => {
    setLink(null);
    const answer = await run(format, () =>
      api.exportLink({ format, incremental, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(status ? { status } : {}) }),
    );
    if (answer) setLink({ ...answer, format });
  };

  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="xs" wrap>
        <DateInput label="From" name="exportFrom" format="YYYY-MM-DD" value={isoToDateParts(from)} onChange={(v) => setFrom(datePartsToIso(v))} />
        <DateInput label="To" name="exportTo" format="YYYY-MM-DD" value={isoToDateParts(to)} onChange={(v) => setTo(datePartsToIso(v))} />
        <Select label="Status" name="exportStatus" value={status} options={STATUSES} onChange={(v) => setStatus(String(v ?? ''))} />
      </Flex>
      <Toggle label="Only what was not exported before (incremental)" name="incremental" checked={incremental} onChange={setIncremental} />
      <Flex direction="row" gap="xs" wrap>
        {EXPORT_FORMATS.map((format) => (
          <LoadingButton
            key={format}
            size="sm"
            variant="secondary"
            testId={`export-${format}`}
            loading={busy === format}
            disabled={busy !== null}
            onClick={() => void prepare(format)}
          >
            {FORMAT_LABELS[format]}
          </LoadingButton>
        ))}
      </Flex>
      {error ? <ServiceAlert error={error} title="The export could not be prepared" /> : null}
      {link ? (
        <Flex direction="row" gap="sm" align="center">
          <Button variant="primary" size="sm" testId="export-download" href={{ url: link.url, external: true }}>
            {`Download ${FORMAT_LABELS[link.format]}`}
          </Button>
          <Text variant="microcopy">Opens in a new tab. The link works once, for a few minutes (until {link.expiresAt.slice(11, 16)} UTC).</Text>
        </Flex>
      ) : null}
      <Flex direction="row" gap="sm" align="center">
        <Text format={{ fontWeight: 'demibold' }}>Recent exports</Text>
        <Button size="xs" variant="transparent" testId="refresh-batches" onClick={batches.reload}>
          Refresh
        </Button>
      </Flex>
      {batches.state.status === 'loading' ? <LoadingSpinner label="Loading exports…" /> : null}
      {batches.state.status === 'error' ? (
        <ServiceAlert error={batches.state.error} title="Recent exports could not be loaded" onRetry={batches.reload} />
      ) : null}
      {batches.state.status === 'success' && batches.state.data.length === 0 ? <Text variant="microcopy">Nothing exported yet.</Text> : null}
      {batches.state.status === 'success' && batches.state.data.length > 0 ? (
        <Table bordered testId="export-batches">
          <TableHead>
            <TableRow>
              <TableHeader>When</TableHeader>
              <TableHeader>Format</TableHeader>
              <TableHeader>Invoices</TableHeader>
              <TableHeader>Kind</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {batches.state.data.map((b) => (
              <TableRow key={b.id}>
                <TableCell>{`${b.createdAt.slice(0, 10)} ${b.createdAt.slice(11, 16)} UTC`}</TableCell>
                <TableCell>{FORMAT_LABELS[b.format] ?? b.format}</TableCell>
                <TableCell>{b.invoiceCount}</TableCell>
                <TableCell>{b.incremental ? 'Incremental' : 'Full'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Flex>
  );
}
