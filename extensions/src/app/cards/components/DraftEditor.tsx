import { Alert, Button, DateInput, Divider, Flex, Heading, Input, MultiSelect, Select, TextArea } from '@hubspot/ui-extensions';
import { useMemo, useState } from 'react';
import { ConfirmButton } from '@invoices/shared/components/ConfirmButton';
import { datePartsToIso, isoToDateParts } from '@invoices/shared/lib/format';
import type { Invoice, PaymentMethod, PaymentTerms, Permissions, Settings } from '@invoices/shared/lib/types';
import { checkDraft, formFromInvoice, patchBody, type DraftForm } from '../lib/draft-form';
import type { LineSource } from '../lib/record-lines';
import { AddFromRecordLines } from './AddFromRecordLines';
import { AdjustmentsEditor } from './AdjustmentsEditor';
import { BillToEditor } from './BillToEditor';
import { LineItemsEditor } from './LineItemsEditor';
import { TotalsSummary } from './TotalsSummary';
import { PAYMENT_TERMS_OPTIONS, PAYMENT_METHOD_OPTIONS } from '@invoices/shared/lib/options';

/** What the finalize confirmation says; names the number it will most likely get when known. */
export function finalizeMessage(nextNumber: string | null | undefined): string {
  const number = nextNumber ? ` (${nextNumber}, unless someone else finalizes one first)` : '';
  return (
    `Once finalized, the invoice becomes final: its lines, amounts and dates can no longer be changed, ` +
    `and it gets the next invoice number${number}. Numbers are never reused. You can then share its payment link.`
  );
}

interface Props {
  invoice: Invoice;
  busy: string | null;
  permissions: Permissions;
  /** Account settings (domains, next number); null when they could not be read. */
  settings: Settings | null;
  /** The deal or quote whose line items can be added ("Add from deal/quote"); null hides it. */
  lineSource: LineSource | null;
  /** Saves the PATCH body; resolves to the saved invoice or undefined on failure. */
  onSave: (body: Record<string, unknown>) => Promise<Invoice | undefined>;
  onFinalize: () => void;
  onResync: () => void;
  onDelete: () => void;
}

/** The draft's lines, adjustments, bill-to, terms, dates, domain and payment methods, with live totals. */
export function DraftEditor({ invoice, busy, permissions, settings, lineSource, onSave, onFinalize, onResync, onDelete }: Props) {
  const [form, setForm] = useState<DraftForm>(() => formFromInvoice(invoice));
  const [dirty, setDirty] = useState(false);
  const [showErrors, setShowErrors] = useState(false);
  const checked = useMemo(() => checkDraft(form), [form]);
  const hasErrors = Object.keys(checked.errors).length > 0;
  // Problems are shown as soon as a field was touched, so a user sees them while typing.
  const errors = showErrors || dirty ? checked.errors : {};
  const currency = form.currency.trim().toUpperCase() || invoice.currency;

  const change = (patch: Partial<DraftForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setDirty(true);
  };

  const save = async () => {
    setShowErrors(true);
    if (hasErrors || !checked.lineItems) return undefined;
    const saved = await onSave(patchBody(form, checked, invoice.version));
    if (saved) setDirty(false);
    return saved;
  };

  const finalize = async () => {
    setShowErrors(true);
    if (hasErrors) return;
    if (dirty && !(await save())) return;
    onFinalize();
  };

  const invalid = (key: string) => (errors[key] ? { error: true, validationMessage: errors[key] } : {});
  const domains = [...new Set([...(settings?.domains ?? []), ...(form.domain ? [form.domain] : [])])];
  return (
    <Flex direction="column" gap="sm">
      {invoice.sourceChanged ? (
        <Alert title="The record changed" variant="warning">
          The {invoice.source?.objectType === 'quotes' ? 'quote' : 'deal'} changed in HubSpot since this draft was copied. Re-copy it to pick up its current
          line items.
        </Alert>
      ) : null}
      {invoice.warnings.length > 0 ? (
        <Alert title="Check the taxes copied from HubSpot" variant="warning">
          {invoice.warnings.map((w) => w.message).join(' ')}
        </Alert>
      ) : null}
      <Heading>Line items</Heading>
      <LineItemsEditor lines={form.lines} currency={currency} errors={errors} onChange={(lines) => change({ lines })} />
      {lineSource ? (
        <AddFromRecordLines source={lineSource} lines={form.lines} currency={currency} onAdd={(added) => change({ lines: [...form.lines, ...added] })} />
      ) : null}
      <Heading>Discounts, fees and taxes</Heading>
      <AdjustmentsEditor adjustments={form.adjustments} currency={currency} errors={errors} onChange={(adjustments) => change({ adjustments })} />
      <TotalsSummary totals={checked.totals} currency={currency} />
      <Divider />
      <Heading>Bill to</Heading>
      <BillToEditor billTo={form.billTo} errors={errors} onChange={(billTo) => change({ billTo })} />
      <Divider />
      <Flex direction="row" gap="xs">
        <Input label="Currency" name="currency" value={form.currency} placeholder="USD" onChange={(v) => change({ currency: v })} {...invalid('currency')} />
        <Select
          label="Payment terms"
          name="paymentTerms"
          value={form.paymentTerms}
          options={PAYMENT_TERMS_OPTIONS}
          onChange={(v) => change({ paymentTerms: v as PaymentTerms })}
        />
      </Flex>
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
          {...invalid('dueDate')}
        />
      </Flex>
      {domains.length > 0 ? (
        <Select
          label="Payment page domain"
          name="domain"
          value={form.domain}
          options={[
            { label: settings?.defaultDomain ? `Account default (${settings.defaultDomain})` : 'Account default', value: '' },
            ...domains.map((d) => ({ label: d, value: d })),
          ]}
          onChange={(v) => change({ domain: String(v ?? '') })}
        />
      ) : null}
      <MultiSelect
        label="Payment methods"
        name="paymentMethods"
        value={form.paymentMethods}
        options={PAYMENT_METHOD_OPTIONS}
        onChange={(v) => change({ paymentMethods: v as PaymentMethod[] })}
      />
      <TextArea label="Comments for the buyer" name="buyerComments" value={form.buyerComments} onChange={(v) => change({ buyerComments: v })} />
      <Flex direction="row" gap="sm" wrap>
        <Button size="xs" variant="secondary" testId="save-draft" disabled={busy !== null} onClick={() => void save()}>
          {busy === 'save' ? 'Saving…' : 'Save draft'}
        </Button>
        {permissions.finalize ? (
          <ConfirmButton
            id="finalize-confirm"
            label="Finalize"
            title="Finalize this invoice?"
            message={finalizeMessage(settings?.nextInvoiceNumber)}
            confirmLabel="Finalize invoice"
            disabled={busy !== null}
            onConfirm={() => void finalize()}
          />
        ) : null}
        {invoice.source ? (
          <ConfirmButton
            id="resync-confirm"
            label="Re-copy from record"
            variant="secondary"
            title="Re-copy this draft from its record?"
            message="The draft's line items, billing contact and currency are replaced by the record's current ones in HubSpot. Lines you added or changed here are lost."
            confirmLabel="Re-copy"
            disabled={busy !== null}
            onConfirm={onResync}
          />
        ) : null}
        <ConfirmButton
          id="delete-confirm"
          label="Delete draft"
          title="Delete this draft?"
          message="The draft is deleted for good. It never had a number, so no number is lost."
          confirmLabel="Delete draft"
          danger
          disabled={busy !== null}
          onConfirm={onDelete}
        />
      </Flex>
    </Flex>
  );
}
