import { Button, DateInput, Flex, Input, Select } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useAction } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import { datePartsToIso, isoToDateParts } from '@invoices/shared/lib/format';
import type { InvoiceStatus, SavedView } from '@invoices/shared/lib/types';
import { emptyViewForm, viewFilters, type ViewForm } from '../lib/view-form';

const STATUSES: { label: string; value: '' | InvoiceStatus }[] = [
  { label: 'Any status', value: '' },
  { label: 'Draft', value: 'draft' },
  { label: 'Open', value: 'open' },
  { label: 'Paid', value: 'paid' },
  { label: 'Void', value: 'void' },
];

/** Saves the user's own view: a name and filters (POST /api/v1/views). */
export function NewViewForm({ onCreated }: { onCreated: (view: SavedView) => void }) {
  const [form, setForm] = useState<ViewForm>(emptyViewForm);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction();
  const change = (patch: Partial<ViewForm>) => setForm((f) => ({ ...f, ...patch }));
  const invalid = (key: string) => (errors[key] ? { error: true, validationMessage: errors[key] } : {});

  const save = async () => {
    const checked = viewFilters(form);
    if ('errors' in checked) return setErrors(checked.errors);
    setErrors({});
    const view = await run('save', () => api.createView(form.name.trim(), checked.filters));
    if (view) {
      setForm(emptyViewForm());
      onCreated(view);
    }
  };

  return (
    <Flex direction="column" gap="sm">
      {error ? <ServiceAlert error={error} title="The view was not saved" /> : null}
      <Input label="View name" name="viewName" value={form.name} required onChange={(v) => change({ name: v })} {...invalid('name')} />
      <Flex direction="row" gap="xs" wrap>
        <Select label="Status" name="viewStatus" value={form.status} options={STATUSES} onChange={(v) => change({ status: (v ?? '') as ViewForm['status'] })} />
        <Input
          label="Currency"
          name="viewCurrency"
          value={form.currency}
          placeholder="USD"
          onChange={(v) => change({ currency: v })}
          {...invalid('currency')}
        />
        <Input
          label="Minimum balance"
          name="viewMinBalance"
          value={form.minBalance}
          placeholder="1000.00"
          onChange={(v) => change({ minBalance: v })}
          {...invalid('minBalance')}
        />
      </Flex>
      <Flex direction="row" gap="xs">
        <DateInput
          label="Due from"
          name="viewDueFrom"
          format="YYYY-MM-DD"
          value={isoToDateParts(form.dueFrom)}
          onChange={(v) => change({ dueFrom: datePartsToIso(v) })}
        />
        <DateInput
          label="Due until"
          name="viewDueTo"
          format="YYYY-MM-DD"
          value={isoToDateParts(form.dueTo)}
          onChange={(v) => change({ dueTo: datePartsToIso(v) })}
          {...invalid('dueTo')}
        />
      </Flex>
      <Input label="Search (number, contact or company)" name="viewQuery" value={form.q} onChange={(v) => change({ q: v })} />
      <Button variant="primary" size="sm" testId="save-view" disabled={busy !== null} onClick={() => void save()}>
        {busy ? 'Saving…' : 'Save view'}
      </Button>
    </Flex>
  );
}
