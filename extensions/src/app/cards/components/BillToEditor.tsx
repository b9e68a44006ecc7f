import { Flex, Input } from '@hubspot/ui-extensions';
import type { BillToForm, FormErrors } from '../lib/draft-form';

/** The billing contact and company printed on the invoice (finalizing needs a name and email). */
export function BillToEditor({ billTo, errors, onChange }: { billTo: BillToForm; errors: FormErrors; onChange: (b: BillToForm) => void }) {
  const emailError = errors['billTo.email'];
  return (
    <Flex direction="column" gap="xs">
      <Flex direction="row" gap="xs">
        <Input label="Contact name" name="billTo-name" value={billTo.name} onChange={(v) => onChange({ ...billTo, name: v })} />
        <Input
          label="Contact email"
          name="billTo-email"
          value={billTo.email}
          onChange={(v) => onChange({ ...billTo, email: v })}
          {...(emailError ? { error: true, validationMessage: emailError } : {})}
        />
      </Flex>
      <Input label="Company" name="billTo-companyName" value={billTo.companyName} onChange={(v) => onChange({ ...billTo, companyName: v })} />
    </Flex>
  );
}
