import { Alert, Button, DescriptionList, DescriptionListItem, Divider, Flex, Heading, Link, Text, useExtensionActions } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ServiceAlert } from '../../shared/components/ServiceAlert';
import { useAction } from '../../shared/hooks/useRemote';
import { api } from '../../shared/lib/api';
import { formatDate } from '../../shared/lib/format';
import type { Invoice } from '../../shared/lib/types';
import { invoiceTitle } from '../lib/status';
import { ConfirmButton } from './ConfirmButton';
import { DraftEditor } from './DraftEditor';
import { InvoiceStatusTag } from './InvoiceStatusTag';
import { PaymentForm } from './PaymentForm';
import { TotalsSummary } from './TotalsSummary';

interface Props {
  invoice: Invoice;
  onBack: () => void;
  /** Called with the invoice after every successful change, so the list can follow. */
  onChanged: (invoice: Invoice) => void;
}

/** One invoice: the editor while it is a draft, then its payment link, payments and void. */
export function InvoiceDetail({ invoice: initial, onBack, onChanged }: Props) {
  const [invoice, setInvoice] = useState(initial);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const { copyTextToClipboard } = useExtensionActions<'crm.record.sidebar'>();

  const apply = async (name: string, fn: () => Promise<Invoice>, done?: string) => {
    setNotice(null);
    const next = await run(name, fn);
    if (next) {
      setInvoice(next);
      onChanged(next);
      if (done) setNotice(done);
    }
    return next;
  };

  const copyLink = async () => {
    if (!invoice.hostedUrl) return;
    try {
      await copyTextToClipboard(invoice.hostedUrl);
      setNotice('Payment link copied.');
    } catch {
      setNotice(`Copy this payment link: ${invoice.hostedUrl}`);
    }
  };

  const canVoid = invoice.status === 'open' && invoice.amountPaid === 0;
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm" align="center">
        <Button size="xs" variant="transparent" testId="back" onClick={onBack}>
          ← All invoices
        </Button>
      </Flex>
      <Flex direction="row" gap="sm" align="center">
        <Heading>{invoiceTitle(invoice)}</Heading>
        <InvoiceStatusTag invoice={invoice} />
      </Flex>
      {error ? <ServiceAlert error={error} title="That did not work" /> : null}
      {notice ? (
        <Alert title="Done" variant="success">
          {notice}
        </Alert>
      ) : null}
      {invoice.status === 'draft' ? (
        <DraftEditor
          key={invoice.version}
          invoice={invoice}
          busy={busy}
          onSave={(body) => apply('save', () => api.updateInvoice(invoice.id, body), 'Draft saved.')}
          onFinalize={() => void apply('finalize', () => api.finalizeInvoice(invoice.id), 'Invoice finalized.')}
        />
      ) : (
        <Flex direction="column" gap="sm">
          <DescriptionList direction="row">
            <DescriptionListItem label="Invoice date">{formatDate(invoice.invoiceDate)}</DescriptionListItem>
            <DescriptionListItem label="Due date">{formatDate(invoice.dueDate)}</DescriptionListItem>
          </DescriptionList>
          <TotalsSummary
            totals={{ ...invoice, lines: [], adjustments: [], roundingRule: 'line_half_away_from_zero' }}
            currency={invoice.currency}
            paid={{ amountPaid: invoice.amountPaid, balanceDue: invoice.balanceDue }}
          />
          {invoice.hostedUrl && invoice.status !== 'void' ? (
            <Flex direction="row" gap="sm">
              <Button size="xs" variant="secondary" testId="copy-link" onClick={() => void copyLink()}>
                Copy payment link
              </Button>
              <Link href={{ url: `${invoice.hostedUrl}/invoice.pdf`, external: true }}>Open PDF</Link>
            </Flex>
          ) : null}
          {invoice.status === 'open' && invoice.balanceDue > 0 ? (
            <>
              <Divider />
              <Heading>Record a payment</Heading>
              <PaymentForm
                key={invoice.version}
                invoice={invoice}
                busy={busy !== null}
                onRecord={(payment) => void apply('payment', () => api.recordPayment(invoice.id, payment), 'Payment recorded.')}
              />
            </>
          ) : null}
          {canVoid ? (
            <ConfirmButton
              id="void-confirm"
              label="Void invoice"
              title="Void this invoice?"
              message="A void invoice stays on record with its number but can no longer be paid. This cannot be undone."
              confirmLabel="Void invoice"
              danger
              disabled={busy !== null}
              onConfirm={() => void apply('void', () => api.voidInvoice(invoice.id, ''), 'Invoice voided.')}
            />
          ) : null}
          {invoice.status === 'paid' ? <Text>Paid in full.</Text> : null}
        </Flex>
      )}
    </Flex>
  );
}
