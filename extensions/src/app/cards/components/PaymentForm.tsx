import { Button, Flex, Input, Select } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { decimalStringToMinor, minorToDecimalString } from '@invoices/shared/lib/domain';
import type { Invoice, PaymentRecordMethod } from '@invoices/shared/lib/types';

const METHODS: { label: string; value: PaymentRecordMethod }[] = [
  { label: 'Bank transfer', value: 'bank_transfer' },
  { label: 'Check', value: 'check' },
  { label: 'Cash', value: 'cash' },
  { label: 'Card', value: 'card' },
  { label: 'ACH', value: 'ach' },
  { label: 'Other', value: 'other' },
];

interface Props {
  invoice: Invoice;
  busy: boolean;
  onRecord: (payment: { amount: number; method: PaymentRecordMethod; reference?: string }) => void;
}

/** Records a payment made outside the processor; never more than the balance. */
export function PaymentForm({ invoice, busy, onRecord }: Props) {
  const [amount, setAmount] = useState(minorToDecimalString(invoice.balanceDue, invoice.currency));
  const [method, setMethod] = useState<PaymentRecordMethod>('bank_transfer');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    let minor: number;
    try {
      minor = decimalStringToMinor(amount.trim(), invoice.currency, 'amount');
    } catch {
      setError('Enter the amount as a number, like 100.00.');
      return;
    }
    if (minor <= 0) return setError('The amount must be more than 0.');
    if (minor > invoice.balanceDue) return setError('The amount cannot be more than the balance due.');
    setError(null);
    onRecord({ amount: minor, method, ...(reference.trim() ? { reference: reference.trim() } : {}) });
  };

  return (
    <Flex direction="column" gap="xs">
      <Input
        label={`Amount received (${invoice.currency})`}
        name="paymentAmount"
        value={amount}
        onChange={setAmount}
        {...(error ? { error: true, validationMessage: error } : {})}
      />
      <Select label="Method" name="paymentMethod" value={method} options={METHODS} onChange={(v) => setMethod(v as PaymentRecordMethod)} />
      <Input label="Reference" name="paymentReference" value={reference} onChange={setReference} />
      <Button size="xs" variant="primary" testId="record-payment" disabled={busy} onClick={submit}>
        Record payment
      </Button>
    </Flex>
  );
}
