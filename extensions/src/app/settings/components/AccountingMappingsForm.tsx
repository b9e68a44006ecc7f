import { Alert, Button, Flex, Input, Select, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text, Toggle } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useAction } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import type { AccountingMappings } from '@invoices/shared/lib/types';
import {
  accountingBody,
  accountingFormFrom,
  BOM_FORMATS,
  checkAccounting,
  emptyItem,
  TEXT_FIELDS,
  type AccountingForm,
  type ItemRow,
} from '../lib/accounting-form';

const ITEM_COLUMNS: { key: keyof Omit<ItemRow, 'key'>; label: string }[] = [
  { key: 'sku', label: 'SKU' },
  { key: 'accountCode', label: 'Account code' },
  { key: 'taxType', label: 'Tax type' },
  { key: 'incomeAccount', label: 'Income account' },
];

/** How exports map invoices to accounts: defaults, byte-order marks per format, per-SKU rows. */
export function AccountingMappingsForm({ initial, canEdit }: { initial: AccountingMappings; canEdit: boolean }) {
  const [form, setForm] = useState<AccountingForm>(() => accountingFormFrom(initial));
  const [touched, setTouched] = useState(false);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const errors = touched ? checkAccounting(form) : {};
  const change = (patch: Partial<AccountingForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setTouched(true);
    setSaved(false);
  };
  const setItem = (index: number, patch: Partial<ItemRow>) => change({ items: form.items.map((it, i) => (i === index ? { ...it, ...patch } : it)) });
  const ro = { readOnly: !canEdit };

  const save = async () => {
    setTouched(true);
    if (Object.keys(checkAccounting(form)).length > 0) return;
    const next = await run('save', () => api.updateSettings({ accountingMappings: accountingBody(form) }));
    if (next) {
      setForm(accountingFormFrom(next.accountingMappings ?? {}));
      setSaved(true);
    }
  };

  return (
    <Flex direction="column" gap="sm">
      {error ? <ServiceAlert error={error} title="Accounting mappings were not saved" /> : null}
      {saved ? (
        <Alert title="Saved" variant="success">
          Accounting mappings are saved.
        </Alert>
      ) : null}
      <Text variant="microcopy">Leave a field empty to use the default shown in it. Lines are matched by SKU first, then these defaults.</Text>
      <Select
        label="Date format in exports"
        name="dateFormat"
        value={form.dateFormat}
        options={[
          { label: 'Service default', value: '' },
          { label: 'DD/MM/YYYY', value: 'DD/MM/YYYY' },
          { label: 'MM/DD/YYYY', value: 'MM/DD/YYYY' },
        ]}
        {...ro}
        onChange={(v) => change({ dateFormat: (v ?? '') as AccountingForm['dateFormat'] })}
      />
      <Flex direction="row" gap="xs" wrap>
        {TEXT_FIELDS.map(({ key, label, placeholder }) => (
          <Input
            key={key}
            label={label}
            name={`mapping-${key}`}
            value={form.text[key]}
            placeholder={placeholder}
            {...ro}
            onChange={(v) => change({ text: { ...form.text, [key]: v } })}
          />
        ))}
      </Flex>
      <Text format={{ fontWeight: 'demibold' }}>Byte-order mark (for spreadsheet programs that need one)</Text>
      <Flex direction="row" gap="sm" wrap>
        {BOM_FORMATS.map(({ format, label }) => (
          <Toggle
            key={format}
            label={label}
            name={`bom-${format}`}
            checked={form.bom[format]}
            {...ro}
            onChange={(v) => change({ bom: { ...form.bom, [format]: v } })}
          />
        ))}
      </Flex>
      <Text format={{ fontWeight: 'demibold' }}>Per-SKU mappings</Text>
      {form.items.length === 0 ? (
        <Text variant="microcopy">No SKU has its own mapping.</Text>
      ) : (
        <Table bordered>
          <TableHead>
            <TableRow>
              {ITEM_COLUMNS.map((c) => (
                <TableHeader key={c.key}>{c.label}</TableHeader>
              ))}
              <TableHeader> </TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {form.items.map((item, i) => (
              <TableRow key={item.key}>
                {ITEM_COLUMNS.map((c) => {
                  const message = errors[`items.${i}.${c.key}`];
                  return (
                    <TableCell key={c.key}>
                      <Input
                        label={c.label}
                        name={`item-${i}-${c.key}`}
                        value={item[c.key]}
                        {...ro}
                        onChange={(v) => setItem(i, { [c.key]: v })}
                        {...(message ? { error: true, validationMessage: message } : {})}
                      />
                    </TableCell>
                  );
                })}
                <TableCell>
                  {canEdit ? (
                    <Button size="xs" variant="transparent" testId={`remove-item-${i}`} onClick={() => change({ items: form.items.filter((_, k) => k !== i) })}>
                      Remove
                    </Button>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {canEdit ? (
        <Flex direction="row" gap="sm">
          <Button size="xs" variant="secondary" testId="add-item" onClick={() => change({ items: [...form.items, emptyItem()] })}>
            Add SKU mapping
          </Button>
          <Button size="sm" variant="primary" testId="save-mappings" disabled={busy !== null} onClick={() => void save()}>
            {busy ? 'Saving…' : 'Save mappings'}
          </Button>
        </Flex>
      ) : null}
    </Flex>
  );
}
