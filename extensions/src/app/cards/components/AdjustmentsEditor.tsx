import { Button, Flex, Input, Select, Text } from '@hubspot/ui-extensions';
import type { Adjustment } from '@invoices/shared/lib/types';
import { emptyAdjustment, type AdjustmentForm, type FormErrors } from '../lib/draft-form';

const KIND_LABELS: Record<Adjustment['kind'], string> = { discount: 'Discount', fee: 'Fee', tax: 'Tax' };

interface Props {
  adjustments: AdjustmentForm[];
  currency: string;
  errors: FormErrors;
  onChange: (adjustments: AdjustmentForm[]) => void;
}

/**
 * Invoice-level discounts, fees and taxes, each a percentage or a fixed amount. The engine
 * applies them in the documented order (discounts, then fees, then taxes), whatever the order here.
 */
export function AdjustmentsEditor({ adjustments, currency, errors, onChange }: Props) {
  const update = (index: number, patch: Partial<AdjustmentForm>) => onChange(adjustments.map((a, i) => (i === index ? { ...a, ...patch } : a)));
  return (
    <Flex direction="column" gap="xs">
      {adjustments.length === 0 ? <Text variant="microcopy">No invoice-level discounts, fees or taxes.</Text> : null}
      {adjustments.map((adj, i) => {
        const message = errors[`adjustments.${i}.value`];
        return (
          <Flex key={adj.key} direction="row" gap="xs" align="end" wrap>
            <Text format={{ fontWeight: 'demibold' }}>{KIND_LABELS[adj.kind]}</Text>
            <Input
              label="Label"
              name={`adjustment-${i}-label`}
              value={adj.label}
              placeholder={KIND_LABELS[adj.kind]}
              onChange={(v) => update(i, { label: v })}
            />
            <Select
              label="Type"
              name={`adjustment-${i}-type`}
              value={adj.type}
              options={[
                { label: 'Percent', value: 'percent' },
                { label: `Amount (${currency})`, value: 'amount' },
              ]}
              onChange={(v) => update(i, { type: v as Adjustment['type'] })}
            />
            <Input
              label={adj.type === 'percent' ? 'Percent' : `Amount (${currency})`}
              name={`adjustment-${i}-value`}
              value={adj.value}
              onChange={(v) => update(i, { value: v })}
              {...(message ? { error: true, validationMessage: message } : {})}
            />
            <Button size="xs" variant="transparent" testId={`remove-adjustment-${i}`} onClick={() => onChange(adjustments.filter((_, k) => k !== i))}>
              Remove
            </Button>
          </Flex>
        );
      })}
      <Flex direction="row" gap="xs">
        {(['discount', 'fee', 'tax'] as const).map((kind) => (
          <Button key={kind} size="xs" variant="secondary" testId={`add-${kind}`} onClick={() => onChange([...adjustments, emptyAdjustment(kind)])}>
            {`Add ${kind}`}
          </Button>
        ))}
      </Flex>
    </Flex>
  );
}
