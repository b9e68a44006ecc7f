import { Button, DescriptionList, DescriptionListItem, Flex, Input, LoadingButton, LoadingSpinner, StatusTag, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useAction, useRemote } from '@invoices/shared/hooks/useRemote';
import { api } from '@invoices/shared/lib/api';
import type { InvoiceDomain } from '@invoices/shared/lib/types';
import { checkDomain, verifiedNames } from '../lib/settings-form';

/**
 * The portal's payment page domains: each with its state and, while pending, the DNS TXT record
 * to create; add, verify and remove. Changes are immediate (not part of the settings Save).
 * `onVerified` hands the verified names to the form's default-domain choice.
 */
export function DomainsSection({ canEdit, onVerified }: { canEdit: boolean; onVerified: (names: string[]) => void }) {
  const domains = useRemote(() => api.listDomains(), 'domains');
  const [newDomain, setNewDomain] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  if (domains.state.status === 'loading') return <LoadingSpinner label="Loading domains…" />;
  if (domains.state.status === 'error') {
    return <ServiceAlert error={domains.state.error} title="Domains could not be loaded" onRetry={domains.reload} />;
  }
  const list = domains.state.data.data;
  const replace = (next: InvoiceDomain[]) => {
    domains.set({ data: next });
    onVerified(verifiedNames(next));
  };

  const add = async () => {
    const checked = checkDomain(
      newDomain,
      list.map((d) => d.domain),
    );
    if ('error' in checked) return setInputError(checked.error);
    setInputError(null);
    const added = await run('add', () => api.addDomain(checked.domain));
    if (added) {
      setNewDomain('');
      replace([...list.filter((d) => d.domain !== added.domain), added].sort((a, b) => a.domain.localeCompare(b.domain)));
    }
  };
  const verify = async (domain: string) => {
    const verified = await run(`verify-${domain}`, () => api.verifyDomain(domain));
    if (verified) replace(list.map((d) => (d.domain === domain ? verified : d)));
  };
  const remove = async (domain: string) => {
    const done = await run(`remove-${domain}`, async () => {
      await api.deleteDomain(domain);
      return true;
    });
    if (done) replace(list.filter((d) => d.domain !== domain));
  };

  return (
    <Flex direction="column" gap="sm">
      {error ? <ServiceAlert error={error} title="That did not work" /> : null}
      {list.length === 0 ? <Text variant="microcopy">No domains yet: payment links use the service address.</Text> : null}
      {list.map((d) => (
        <Flex key={d.domain} direction="column" gap="xs">
          <Flex direction="row" gap="xs" align="center">
            <Text format={{ fontWeight: 'demibold' }}>{d.domain}</Text>
            <StatusTag variant={d.status === 'verified' ? 'success' : 'warning'} testId={`domain-status-${d.domain}`}>
              {d.status === 'verified' ? 'Verified' : 'Waiting for DNS record'}
            </StatusTag>
            {canEdit && d.status === 'pending' ? (
              <LoadingButton
                size="xs"
                variant="secondary"
                testId={`verify-domain-${d.domain}`}
                loading={busy === `verify-${d.domain}`}
                disabled={busy !== null}
                onClick={() => void verify(d.domain)}
              >
                Verify
              </LoadingButton>
            ) : null}
            {canEdit ? (
              <Button size="xs" variant="transparent" testId={`remove-domain-${d.domain}`} disabled={busy !== null} onClick={() => void remove(d.domain)}>
                Remove
              </Button>
            ) : null}
          </Flex>
          {d.status === 'pending' ? (
            <>
              <Text variant="microcopy">Create this DNS record at your domain's DNS provider, then click Verify. Pending domains do not show invoices.</Text>
              <DescriptionList direction="row">
                <DescriptionListItem label="Type">{d.dnsRecord.type}</DescriptionListItem>
                <DescriptionListItem label="Name">
                  <Text testId={`domain-record-name-${d.domain}`}>{d.dnsRecord.name}</Text>
                </DescriptionListItem>
                <DescriptionListItem label="Value">
                  <Text testId={`domain-record-value-${d.domain}`}>{d.dnsRecord.value}</Text>
                </DescriptionListItem>
              </DescriptionList>
            </>
          ) : null}
        </Flex>
      ))}
      {canEdit ? (
        <Flex direction="row" gap="xs" align="end">
          <Input
            label="Add a domain"
            name="newDomain"
            value={newDomain}
            placeholder="billing.example.com"
            onChange={setNewDomain}
            {...(inputError ? { error: true, validationMessage: inputError } : {})}
          />
          <LoadingButton size="xs" variant="secondary" testId="add-domain" loading={busy === 'add'} disabled={busy !== null} onClick={() => void add()}>
            Add domain
          </LoadingButton>
        </Flex>
      ) : null}
    </Flex>
  );
}
