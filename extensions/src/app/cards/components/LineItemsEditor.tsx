import { Button, Divider, Flex, Input, Select, Text } from '@hubspot/ui-extensions';
import type { DiscountKind, FormErrors, LineForm } from '../lib/draft-form';
import { emptyLine } from '../lib/draft-form';

const DISCOUNT_OPTIONS: { label: string; value: DiscountKind }[] = [
  { label: 'No discount', value: 'none' },
  { label: 'Percent', value: 'percent' },
  { label: 'Amount', value: 'amount' },
];

interface Props {
  lines: LineForm[];
  currency: string;
  errors: FormErrors;
  onChange: (lines: LineForm[]) => void;
}

/** Edit, add (custom) and remove the draft's lines. */
export function LineItemsEditor({ lines, currency, errors, onChange }: Props) {
  const update = (index: number, patch: Partial<LineForm>) => onChange(lines.map((line, i) => (i === index ? { ...line, ...patch } : line)));
  const field = (index: number, name: keyof LineForm) => {
    const message = errors[`lines.${index}.${String(name)}`];
    return message ? { error: true, validationMessage: message } : {};
  };
  return (
    <Flex direction="column" gap="sm">
      {lines.length === 0 ? <Text>No lines yet. Add a custom line below.</Text> : null}
      {lines.map((line, i) => (
        <Flex key={line.key} direction="column" gap="xs">
          <Input label="Name" name={`line-${i}-name`} value={line.name} required onChange={(v) => update(i, { name: v })} {...field(i, 'name')} />
          <Flex direction="row" gap="xs">
            <Input label="Quantity" name={`line-${i}-quantity`} value={line.quantity} onChange={(v) => update(i, { quantity: v })} {...field(i, 'quantity')} />
            <Input
              label={`Unit price (${currency})`}
              name={`line-${i}-unitPrice`}
              value={line.unitPrice}
              placeholder="0.00"
              onChange={(v) => update(i, { unitPrice: v })}
              {...field(i, 'unitPrice')}
            />
          </Flex>
          <Flex direction="row" gap="xs">
            <Select
              label="Discount"
              name={`line-${i}-discountKind`}
              value={line.discountKind}
              options={DISCOUNT_OPTIONS}
              onChange={(v) => update(i, { discountKind: v as DiscountKind })}
            />
            {line.discountKind !== 'none' ? (
              <Input
                label={line.discountKind === 'percent' ? 'Discount %' : `Discount (${currency})`}
                name={`line-${i}-discountValue`}
                value={line.discountValue}
                onChange={(v) => update(i, { discountValue: v })}
                {...field(i, 'discountValue')}
              />
            ) : null}
            <Input
              label="Tax rate %"
              name={`line-${i}-taxRate`}
              value={line.taxRate}
              placeholder="0"
              onChange={(v) => update(i, { taxRate: v })}
              {...field(i, 'taxRate')}
            />
          </Flex>
          <Button size="xs" variant="transparent" testId={`remove-line-${i}`} onClick={() => onChange(lines.filter((_, k) => k !== i))}>
            Remove line
          </Button>
          <Divider />
        </Flex>
      ))}
      <Button size="xs" variant="secondary" testId="add-line" onClick={() => onChange([...lines, emptyLine()])}>
        Add custom line
      </Button>
    </Flex>
  );
}
