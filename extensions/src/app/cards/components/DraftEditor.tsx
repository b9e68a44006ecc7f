import { Button, DateInput, Divider, Flex, Heading, MultiSelect, Select, TextArea } from '@hubspot/ui-extensions';
import { useMemo, useState } from 'react';
import { datePartsToIso, isoToDateParts } from '../../shared/lib/format';
import type { Invoice, PaymentMethod, PaymentTerms } from '../../shared/lib/types';
import { checkDraft, formFromInvoice, patchBody, type DraftForm } from '../lib/draft-form';
import { ConfirmButton } from './ConfirmButton';
import { LineItemsEditor } from './LineItemsEditor';
import { TotalsSummary } from './TotalsSummary';

const TERMS: { label: string; value: PaymentTerms }[] = [
  { label: 'Due on receipt', value: 'due_on_receipt' },
  { label: 'Net 15', value: 'net_15' },
  { label: 'Net 30', value: 'net_30' },
  { label: 'Net 45', value: 'net_45' },
  { label: 'Net 60', value: 'net_60' },
  { label: 'Custom due date', value: 'custom' },
];

const METHODS: { label: string; value: PaymentMethod }[] = [
  { label: 'Card', value: 'card' },
  { label: 'ACH bank transfer', value: 'ach' },
];

interface Props {
  invoice: Invoice;
  busy: string | null;
  /** Saves the PATCH body; resolves to the saved invoice or undefined on failure. */
  onSave: (body: Record<string, unknown>) => Promise<Invoice | undefined>;
  onFinalize: () => void;
}

/** The draft's lines, terms, dates, comments and payment methods, with live totals. */
export function DraftEditor({ invoice, busy, onSave, onFinalize }: Props) {
  const [form, setForm] = useState<DraftForm>(() => formFromInvoice(invoice));
  const [dirty, setDirty] = useState(false);
  const [showErrors, setShowErrors] = useState(false);
  const checked = useMemo(() => checkDraft(form), [form]);
  const hasErrors = Object.keys(checked.errors).length > 0;
  // Problems are shown as soon as a field was touched, so a user sees them while typing.
  const errors = showErrors || dirty ? checked.errors : {};

  const change = (patch: Partial<DraftForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setDirty(true);
  };

  const save = async () => {
    setShowErrors(true);
    if (hasErrors || !checked.lineItems) return undefined;
    const saved = await onSave(patchBody(form, checked.lineItems, invoice.version));
    if (saved) setDirty(false);
    return saved;
  };

  const finalize = async () => {
    setShowErrors(true);
    if (hasErrors) return;
    if (dirty && !(await save())) return;
    onFinalize();
  };

  const dueError = errors.dueDate;
  return (
    <Flex direction="column" gap="sm">
      <Heading>Line items</Heading>
      <LineItemsEditor lines={form.lines} currency={form.currency} errors={errors} onChange={(lines) => change({ lines })} />
      <TotalsSummary totals={checked.totals} currency={form.currency} />
      <Divider />
      <Select label="Payment terms" name="paymentTerms" value={form.paymentTerms} options={TERMS} onChange={(v) => change({ paymentTerms: v as PaymentTerms })} />
      <Flex direction="row" gap="xs">
        <DateInput
          label="Invoice date"
          name="invoiceDate"
          format="YYYY-MM-DD"
          value={isoToDateParts(form.invoiceDate)}
          onChange={(v) => change({ invoiceDate: datePartsToIso(v) })}
        />
        <DateInput
          label="Due date"
          name="dueDate"
          format="YYYY-MM-DD"
          value={isoToDateParts(form.dueDate)}
          // Picking a date by hand means the terms no longer decide it.
          onChange={(v) => change({ dueDate: datePartsToIso(v), paymentTerms: 'custom' })}
          {...(dueError ? { error: true, validationMessage: dueError } : {})}
        />
      </Flex>
      <MultiSelect
        label="Payment methods"
        name="paymentMethods"
        value={form.paymentMethods}
        options={METHODS}
        onChange={(v) => change({ paymentMethods: v as PaymentMethod[] })}
      />
      <TextArea label="Comments for the buyer" name="buyerComments" value={form.buyerComments} onChange={(v) => change({ buyerComments: v })} />
      <Flex direction="row" gap="sm">
        <Button size="xs" variant="secondary" testId="save-draft" disabled={busy !== null} onClick={() => void save()}>
          {busy === 'save' ? 'Saving…' : 'Save draft'}
        </Button>
        <ConfirmButton
          id="finalize-confirm"
          label="Finalize"
          title="Finalize this invoice?"
          message="Once finalized, the invoice becomes final: its lines, amounts and dates can no longer be changed, and it gets the next invoice number. You can then share its payment link."
          confirmLabel="Finalize invoice"
          disabled={busy !== null}
          onConfirm={() => void finalize()}
        />
      </Flex>
    </Flex>
  );
}
