import { Alert, Button, Divider, Flex, Heading, Input, LoadingSpinner, MultiSelect, NumberInput, Select, Text, Toggle } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ServiceAlert } from '../../shared/components/ServiceAlert';
import { useAction, useRemote } from '../../shared/hooks/useRemote';
import { api } from '../../shared/lib/api';
import type { PaymentMethod, PaymentTerms, Settings } from '../../shared/lib/types';

const TERMS: { label: string; value: PaymentTerms }[] = [
  { label: 'Due on receipt', value: 'due_on_receipt' },
  { label: 'Net 15', value: 'net_15' },
  { label: 'Net 30', value: 'net_30' },
  { label: 'Net 45', value: 'net_45' },
  { label: 'Net 60', value: 'net_60' },
];
const METHODS: { label: string; value: PaymentMethod }[] = [
  { label: 'Card', value: 'card' },
  { label: 'ACH bank transfer', value: 'ach' },
];

/** The rule users must read before they change numbering. */
export const NUMBERING_RULE =
  'Used invoice numbers never come back: a prefix and next number that would issue a number already used are refused.';

/** The settings page: loading, error, or the form. */
export function SettingsView() {
  const settings = useRemote(() => api.getSettings(), 'settings');
  if (settings.state.status === 'loading') return <LoadingSpinner label="Loading settings…" />;
  if (settings.state.status === 'error') {
    return <ServiceAlert error={settings.state.error} title="Settings could not be loaded" onRetry={settings.reload} />;
  }
  return <SettingsForm key={settings.state.data.version} initial={settings.state.data} onSaved={settings.set} />;
}

function SettingsForm({ initial, onSaved }: { initial: Settings; onSaved: (s: Settings) => void }) {
  const [form, setForm] = useState({
    numberPrefix: initial.numberPrefix,
    nextNumber: initial.nextNumber,
    defaultPaymentTerms: initial.defaultPaymentTerms,
    defaultPaymentMethods: initial.defaultPaymentMethods,
    allowPartialPayments: initial.allowPartialPayments,
    brandName: initial.brand?.name ?? '',
    logoUrl: initial.brand?.logoUrl ?? '',
    defaultDomain: initial.defaultDomain ?? '',
  });
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const change = (patch: Partial<typeof form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setSaved(false);
  };

  const preview = form.numberPrefix ? `${form.numberPrefix}-${form.nextNumber}` : '—';
  const save = async () => {
    const next = await run('save', () =>
      api.updateSettings({
        numberPrefix: form.numberPrefix,
        nextNumber: form.nextNumber,
        defaultPaymentTerms: form.defaultPaymentTerms,
        defaultPaymentMethods: form.defaultPaymentMethods,
        allowPartialPayments: form.allowPartialPayments,
        brand: { name: form.brandName.trim() || null, logoUrl: form.logoUrl.trim() || null },
        defaultDomain: form.defaultDomain || null,
      }),
    );
    if (next) {
      setSaved(true);
      onSaved(next);
    }
  };

  return (
    <Flex direction="column" gap="sm">
      {error ? <ServiceAlert error={error} title="Settings were not saved" /> : null}
      {saved ? <Alert title="Saved" variant="success">Your settings are saved.</Alert> : null}
      <Heading>Numbering</Heading>
      <Flex direction="row" gap="sm">
        <Input label="Number prefix" name="numberPrefix" value={form.numberPrefix} onChange={(v) => change({ numberPrefix: v })} />
        <NumberInput label="Next number" name="nextNumber" value={form.nextNumber} min={1} precision={0} onChange={(v) => change({ nextNumber: v })} />
      </Flex>
      <Text testId="number-preview">Next invoice number: {preview}</Text>
      <Text variant="microcopy">{NUMBERING_RULE}</Text>
      <Divider />
      <Heading>Defaults for new invoices</Heading>
      <Select label="Payment terms" name="defaultPaymentTerms" value={form.defaultPaymentTerms} options={TERMS} onChange={(v) => change({ defaultPaymentTerms: v as PaymentTerms })} />
      <MultiSelect
        label="Payment methods"
        name="defaultPaymentMethods"
        value={form.defaultPaymentMethods}
        options={METHODS}
        onChange={(v) => change({ defaultPaymentMethods: v as PaymentMethod[] })}
      />
      <Toggle label="Allow partial payments" name="allowPartialPayments" checked={form.allowPartialPayments} onChange={(v) => change({ allowPartialPayments: v })} />
      <Divider />
      <Heading>Brand</Heading>
      <Input label="Company name" name="brandName" value={form.brandName} onChange={(v) => change({ brandName: v })} />
      <Input label="Logo URL (https)" name="logoUrl" value={form.logoUrl} onChange={(v) => change({ logoUrl: v })} />
      {initial.domains.length > 0 ? (
        <Select
          label="Default domain for payment links"
          name="defaultDomain"
          value={form.defaultDomain}
          options={[{ label: 'The service address', value: '' }, ...initial.domains.map((d) => ({ label: d, value: d }))]}
          onChange={(v) => change({ defaultDomain: String(v) })}
        />
      ) : null}
      <Button variant="primary" testId="save-settings" disabled={busy !== null} onClick={() => void save()}>
        {busy ? 'Saving…' : 'Save settings'}
      </Button>
    </Flex>
  );
}
