import { Alert, Button, DescriptionList, DescriptionListItem, Divider, Flex, Heading, Link, Text, useExtensionActions } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useAction } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import { formatDate } from '@invoices/shared/lib/format';
import type { Invoice, ObjectType, Permissions } from '@invoices/shared/lib/types';
import { useDraftSettings } from '../hooks/useRecordInvoices';
import { lineSourceFor } from '../lib/record-lines';
import { invoiceTitle } from '../lib/status';
import { ConfirmButton } from '@invoices/shared/components/ConfirmButton';
import { DraftEditor, finalizeMessage } from './DraftEditor';
import { InvoiceStatusTag } from './InvoiceStatusTag';
import { PaymentForm } from './PaymentForm';
import { TotalsSummary } from './TotalsSummary';

interface Props {
  invoice: Invoice;
  /** What the user may do; actions they may not take are not shown. */
  permissions: Permissions;
  /** The CRM record the card is on (a draft on a deal can take the deal's line items). */
  record?: { objectType: ObjectType; objectId: string };
  onBack: () => void;
  /** Called with the invoice after every successful change, so the list can follow. */
  onChanged: (invoice: Invoice) => void;
  /** Called once a draft was deleted. */
  onDeleted: () => void;
}

/** One invoice: the editor while it is a draft, then its payment link, payments and void. */
export function InvoiceDetail({ invoice: initial, permissions, record, onBack, onChanged, onDeleted }: Props) {
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

  const remove = async () => {
    setNotice(null);
    const done = await run('delete', async () => {
      await api.deleteInvoice(invoice.id);
      return true;
    });
    if (done) onDeleted();
  };

  const canVoid = permissions.void && invoice.status === 'open' && invoice.amountPaid === 0;
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
        <DraftSection
          invoice={invoice}
          busy={busy}
          permissions={permissions}
          lineSource={lineSourceFor(invoice, record ?? null)}
          onSave={(body) => apply('save', () => api.updateInvoice(invoice.id, body), 'Draft saved.')}
          onFinalize={() => void apply('finalize', () => api.finalizeInvoice(invoice.id), 'Invoice finalized.')}
          onResync={() => void apply('resync', () => api.resyncInvoice(invoice.id), 'Draft re-copied from the record.')}
          onDelete={() => void remove()}
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
          {permissions.record_payment && invoice.status === 'open' && invoice.balanceDue > 0 ? (
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

type DraftSectionProps = Omit<Parameters<typeof DraftEditor>[0], 'settings'>;

/**
 * A draft: the editor for users who may edit, otherwise its totals (and Finalize when allowed).
 * Reads the account settings for the domain choice and the next number's preview.
 */
function DraftSection(props: DraftSectionProps) {
  const settings = useDraftSettings();
  const loaded = settings.state.status === 'success' ? settings.state.data : null;
  const { invoice, permissions, busy } = props;
  if (permissions.edit) return <DraftEditor key={invoice.version} {...props} settings={loaded} />;
  return (
    <Flex direction="column" gap="sm">
      <Text variant="microcopy">You can view this draft but not edit it.</Text>
      <TotalsSummary totals={{ ...invoice, lines: [], adjustments: [], roundingRule: 'line_half_away_from_zero' }} currency={invoice.currency} />
      {permissions.finalize ? (
        <ConfirmButton
          id="finalize-confirm"
          label="Finalize"
          title="Finalize this invoice?"
          message={finalizeMessage(loaded?.nextInvoiceNumber)}
          confirmLabel="Finalize invoice"
          disabled={busy !== null}
          onConfirm={props.onFinalize}
        />
      ) : null}
    </Flex>
  );
}
