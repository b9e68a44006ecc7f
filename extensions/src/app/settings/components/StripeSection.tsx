import { Alert, Button, DescriptionList, DescriptionListItem, Flex, LoadingButton, LoadingSpinner, StatusTag, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ConfirmButton } from '@invoices/shared/components/ConfirmButton';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useAction, useRemote } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import type { StripeConnection } from '@invoices/shared/lib/types';

const STATUS: Record<StripeConnection['status'], { label: string; variant: 'success' | 'warning' | 'default' }> = {
  connected: { label: 'Connected', variant: 'success' },
  pending: { label: 'Onboarding not finished', variant: 'warning' },
  not_connected: { label: 'Not connected', variant: 'default' },
};

/**
 * The portal's Stripe account: its state, Connect (the service returns Stripe's onboarding URL,
 * which opens in a new tab: extensions cannot open windows themselves, so a second click on the
 * returned link does it) and Disconnect.
 */
export function StripeSection({ canEdit }: { canEdit: boolean }) {
  const connection = useRemote(() => api.stripeConnection(), 'stripe');
  const [onboardingUrl, setOnboardingUrl] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  if (connection.state.status === 'loading') return <LoadingSpinner label="Checking the Stripe connection…" />;
  if (connection.state.status === 'error') {
    return <ServiceAlert error={connection.state.error} title="The Stripe connection could not be read" onRetry={connection.reload} />;
  }
  const c = connection.state.data;
  if (!c.available) {
    return (
      <Alert title="Online payments are not set up" variant="info">
        This invoicing service has no Stripe keys, so buyers cannot pay online; their invoices say how to pay you instead, and you record those payments by
        hand.
      </Alert>
    );
  }

  const connect = async () => {
    const answer = await run('connect', () => api.stripeConnect());
    if (answer) setOnboardingUrl(answer.url);
  };
  const disconnect = async () => {
    const done = await run('disconnect', async () => {
      await api.stripeDisconnect();
      return true;
    });
    if (done) {
      setOnboardingUrl(null);
      connection.reload();
    }
  };

  const status = STATUS[c.status];
  return (
    <Flex direction="column" gap="sm">
      {error ? <ServiceAlert error={error} title="That did not work" /> : null}
      <Flex direction="row" gap="sm" align="center">
        <StatusTag variant={status.variant} testId="stripe-status">
          {status.label}
        </StatusTag>
        {c.accountId ? <Text>{c.accountId}</Text> : null}
      </Flex>
      {c.status === 'connected' ? (
        <DescriptionList direction="row">
          <DescriptionListItem label="Card and ACH payments">
            {c.chargesEnabled ? 'Enabled' : 'Not enabled yet (Stripe is reviewing the account)'}
          </DescriptionListItem>
          <DescriptionListItem label="Connected on">{c.connectedAt ? c.connectedAt.slice(0, 10) : '—'}</DescriptionListItem>
        </DescriptionList>
      ) : null}
      {canEdit && c.status !== 'connected' ? (
        <Flex direction="row" gap="sm" align="center" wrap>
          <LoadingButton
            variant="primary"
            size="sm"
            testId="stripe-connect"
            loading={busy === 'connect'}
            disabled={busy !== null}
            onClick={() => void connect()}
          >
            {c.status === 'pending' ? 'Continue Stripe onboarding' : 'Connect Stripe'}
          </LoadingButton>
          {onboardingUrl ? (
            <Button variant="secondary" size="sm" testId="stripe-open" href={{ url: onboardingUrl, external: true }}>
              Open Stripe in a new tab
            </Button>
          ) : null}
          <Button variant="transparent" size="sm" testId="stripe-refresh" onClick={connection.reload}>
            Refresh status
          </Button>
        </Flex>
      ) : null}
      {onboardingUrl ? <Text variant="microcopy">Finish the steps on Stripe, then come back and refresh the status.</Text> : null}
      {canEdit && c.status !== 'not_connected' ? (
        <ConfirmButton
          id="stripe-disconnect"
          label="Disconnect Stripe"
          title="Disconnect Stripe?"
          message="Buyers can no longer pay online until you connect again. Payments already made stay recorded."
          confirmLabel="Disconnect"
          danger
          size="sm"
          disabled={busy !== null}
          onConfirm={() => void disconnect()}
        />
      ) : null}
    </Flex>
  );
}
