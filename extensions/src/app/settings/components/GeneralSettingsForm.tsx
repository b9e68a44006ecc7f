import { Alert, Button, Divider, Flex, Heading, Input, MultiSelect, NumberInput, Select, Text, Toggle } from '@hubspot/ui-extensions';
import { useMemo, useState } from 'react';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useAction } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import type { PaymentMethod, PaymentTerms, Settings } from '@invoices/shared/lib/types';
import { ADDRESS_FIELDS, checkSettings, formFromSettings, nextNumberPreview, settingsBody, type SettingsForm } from '../lib/settings-form';
import { DEFAULT_TERMS_OPTIONS, PAYMENT_METHOD_OPTIONS } from '@invoices/shared/lib/options';
import { DomainsSection } from './DomainsSection';

/** API paths whose input has another name here. */
const SERVICE_PATHS: Record<string, keyof SettingsForm> = { 'brand.logoUrl': 'logoUrl', 'brand.name': 'brandName' };

/** The rule users must read before they change numbering. */
export const NUMBERING_RULE = 'Used invoice numbers never come back: a prefix and next number that would issue a number already used are refused.';

/** Numbering, defaults for new invoices, brand and the default domain, saved together with one PUT; domains change at once. */
export function GeneralSettingsForm({ initial, canEdit }: { initial: Settings; canEdit: boolean }) {
  const [form, setForm] = useState<SettingsForm>(() => formFromSettings(initial));
  const [touched, setTouched] = useState(false);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const errors = useMemo(() => (touched ? checkSettings(form) : {}), [form, touched]);
  const change = (patch: Partial<SettingsForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setTouched(true);
    setSaved(false);
  };
  // The service's field problems (400 details, `brand.logoUrl`) shown on the inputs they name.
  const fromService: Partial<Record<keyof SettingsForm, string>> = {};
  for (const d of error?.details ?? []) {
    const key = (SERVICE_PATHS[d.path] ?? d.path) as keyof SettingsForm;
    if (key in form) fromService[key] ??= d.message;
  }
  const invalid = (key: keyof SettingsForm) => {
    const message = errors[key] ?? fromService[key];
    return message ? { error: true, validationMessage: message } : {};
  };
  const ro = { readOnly: !canEdit };

  const preview = nextNumberPreview(form) ?? '—';
  const save = async () => {
    setTouched(true);
    if (Object.keys(checkSettings(form)).length > 0) return;
    const next = await run('save', () => api.updateSettings(settingsBody(form)));
    if (next) {
      setForm(formFromSettings(next));
      setSaved(true);
    }
  };
  // Verified domains come from the domains section; not an edit of the form (nothing to save).
  const verifiedChanged = (domains: string[]) => setForm((f) => ({ ...f, domains }));

  return (
    <Flex direction="column" gap="sm">
      {error ? <ServiceAlert error={error} title="Settings were not saved" /> : null}
      {saved ? (
        <Alert title="Saved" variant="success">
          Your settings are saved.
        </Alert>
      ) : null}
      <Heading>Numbering</Heading>
      <Flex direction="row" gap="sm">
        <Input
          label="Number prefix"
          name="numberPrefix"
          value={form.numberPrefix}
          {...ro}
          onChange={(v) => change({ numberPrefix: v })}
          {...invalid('numberPrefix')}
        />
        <NumberInput
          label="Next number"
          name="nextNumber"
          value={form.nextNumber}
          min={1}
          precision={0}
          {...ro}
          onChange={(v) => change({ nextNumber: v })}
          {...invalid('nextNumber')}
        />
      </Flex>
      <Text testId="number-preview">Next invoice number: {preview}</Text>
      <Text variant="microcopy">{NUMBERING_RULE}</Text>
      <Divider />
      <Heading>Defaults for new invoices</Heading>
      <Flex direction="row" gap="sm">
        <Select
          label="Payment terms"
          name="defaultPaymentTerms"
          value={form.defaultPaymentTerms}
          options={DEFAULT_TERMS_OPTIONS}
          {...ro}
          onChange={(v) => change({ defaultPaymentTerms: v as PaymentTerms })}
        />
        <Input
          label="Currency"
          name="defaultCurrency"
          value={form.defaultCurrency}
          {...ro}
          onChange={(v) => change({ defaultCurrency: v })}
          {...invalid('defaultCurrency')}
        />
        <Input
          label="Time zone"
          name="timeZone"
          value={form.timeZone}
          placeholder="Europe/Amsterdam"
          {...ro}
          onChange={(v) => change({ timeZone: v })}
          {...invalid('timeZone')}
        />
      </Flex>
      <MultiSelect
        label="Payment methods"
        name="defaultPaymentMethods"
        value={form.defaultPaymentMethods}
        options={PAYMENT_METHOD_OPTIONS}
        {...ro}
        onChange={(v) => change({ defaultPaymentMethods: v as PaymentMethod[] })}
      />
      <Toggle
        label="Allow partial payments"
        name="allowPartialPayments"
        checked={form.allowPartialPayments}
        {...ro}
        onChange={(v) => change({ allowPartialPayments: v })}
      />
      <Divider />
      <Heading>Brand</Heading>
      <Input label="Company name" name="brandName" value={form.brandName} {...ro} onChange={(v) => change({ brandName: v })} />
      <Input label="Logo URL (https)" name="logoUrl" value={form.logoUrl} {...ro} onChange={(v) => change({ logoUrl: v })} {...invalid('logoUrl')} />
      <Text variant="microcopy">A new logo shows on drafts and on invoices finalized from now on; finalized invoices keep theirs.</Text>
      <Flex direction="row" gap="xs" wrap>
        {ADDRESS_FIELDS.map(({ key, label }) => (
          <Input
            key={key}
            label={label}
            name={`address-${key}`}
            value={form.address[key]}
            {...ro}
            onChange={(v) => change({ address: { ...form.address, [key]: v } })}
          />
        ))}
      </Flex>
      <Divider />
      <Heading>Payment page domains</Heading>
      <DomainsSection canEdit={canEdit} onVerified={verifiedChanged} />
      <Select
        label="Default domain for payment links"
        name="defaultDomain"
        value={form.defaultDomain}
        options={[{ label: 'The service address', value: '' }, ...form.domains.map((d) => ({ label: d, value: d }))]}
        {...ro}
        onChange={(v) => change({ defaultDomain: String(v ?? '') })}
        {...invalid('defaultDomain')}
      />
      {canEdit ? (
        <Button variant="primary" testId="save-settings" disabled={busy !== null} onClick={() => void save()}>
          {busy ? 'Saving…' : 'Save settings'}
        </Button>
      ) : null}
    </Flex>
  );
}
