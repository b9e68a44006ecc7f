import { Alert, Button, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useRemote } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import { formatMoney } from '@invoices/shared/lib/format';
import type { RecordLineItems } from '@invoices/shared/lib/types';
import type { LineForm } from '../lib/draft-form';
import { lineFormFromRecord, missingLines, sourceNoun, type LineSource, type RecordLine } from '../lib/record-lines';

interface Props {
  source: LineSource;
  /** The draft's lines as currently edited (not as last saved). */
  lines: LineForm[];
  /** The draft's currency as currently edited. */
  currency: string;
  onAdd: (added: LineForm[]) => void;
}

/**
 * "Add from deal/quote": offers the record's line items the draft lacks, each addable as a new
 * line. The record is read only once the user opens the list (it costs HubSpot calls).
 */
export function AddFromRecordLines(props: Props) {
  const [open, setOpen] = useState(false);
  const noun = sourceNoun(props.source);
  if (!open) {
    return (
      <Button size="xs" variant="secondary" testId="add-from-record" onClick={() => setOpen(true)}>
        {`Add from ${noun}`}
      </Button>
    );
  }
  return <RecordLinesPanel {...props} onClose={() => setOpen(false)} />;
}

function RecordLinesPanel({ source, lines, currency, onAdd, onClose }: Props & { onClose: () => void }) {
  const noun = sourceNoun(source);
  const remote = useRemote<RecordLineItems>(() => api.recordLineItems(source.objectType, source.objectId), `${source.objectType}/${source.objectId}`);
  const close = (
    <Button size="xs" variant="transparent" testId="close-record-lines" onClick={onClose}>
      Close
    </Button>
  );
  if (remote.state.status === 'loading') return <LoadingSpinner label={`Loading the ${noun}'s line items…`} />;
  if (remote.state.status === 'error') {
    return (
      <Flex direction="column" gap="xs">
        <ServiceAlert error={remote.state.error} title={`The ${noun}'s line items could not be loaded`} onRetry={remote.reload} />
        {close}
      </Flex>
    );
  }
  const record = remote.state.data;
  const missing = missingLines(record.data, lines);
  const add = (chosen: RecordLine[]) => onAdd(chosen.map((l) => lineFormFromRecord(l, record.currency)));
  return (
    <Flex direction="column" gap="xs">
      <Text format={{ fontWeight: 'demibold' }}>{`Line items of the ${noun} not on this draft`}</Text>
      {record.currency !== currency ? (
        <Alert title="Different currency" variant="warning">
          {`The ${noun}'s line items are in ${record.currency} and this draft is in ${currency}. Change the draft's currency to ${record.currency} to add them.`}
        </Alert>
      ) : null}
      {missing.length === 0 ? <Text testId="record-lines-none">{`Every line item of the ${noun} is already on this draft.`}</Text> : null}
      {missing.map((l) => (
        <Flex key={l.hubspotLineItemId} direction="row" gap="sm" align="center" justify="between">
          <Text testId={`record-line-${l.hubspotLineItemId}`}>{`${l.name}: ${l.quantity} × ${formatMoney(l.unitPrice, record.currency)}`}</Text>
          <Button
            size="xs"
            variant="secondary"
            testId={`add-record-line-${l.hubspotLineItemId}`}
            disabled={record.currency !== currency}
            onClick={() => add([l])}
          >
            Add
          </Button>
        </Flex>
      ))}
      <Flex direction="row" gap="sm">
        {missing.length > 1 ? (
          <Button size="xs" variant="secondary" testId="add-all-record-lines" disabled={record.currency !== currency} onClick={() => add(missing)}>
            {`Add all ${missing.length}`}
          </Button>
        ) : null}
        {close}
      </Flex>
    </Flex>
  );
}
