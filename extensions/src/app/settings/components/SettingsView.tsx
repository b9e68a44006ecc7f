import { Divider, Flex, Heading, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { ServiceAlert } from '@invoices/shared/components/ServiceAlert';
import { useRemote } from '@invoices/shared/hooks/useRemote';
import { api, ServiceError } from '@invoices/shared/lib/api';
import { AccountingMappingsForm } from './AccountingMappingsForm';
import { GeneralSettingsForm } from './GeneralSettingsForm';
import { StripeSection } from './StripeSection';
import { UserPermissionsEditor } from './UserPermissionsEditor';

export { NUMBERING_RULE } from './GeneralSettingsForm';

/**
 * May this user change settings? Read from the permissions every invoice list carries
 * (GET /api/v1/invoices?limit=1; the settings GET has none). A 403 there means no invoice access
 * at all, so no settings either; when the answer is unknown (older service, network) editing
 * stays on and the service's own 403 on save is shown instead.
 */
async function loadCanEdit(): Promise<boolean> {
  try {
    const permissions = await api.myPermissions();
    return permissions ? permissions.settings : true;
  } catch (err) {
    return !(err instanceof ServiceError && err.status === 403);
  }
}

/** The settings page: general settings, accounting mappings, Stripe, and who may do what. */
export function SettingsView() {
  const settings = useRemote(() => api.getSettings(), 'settings');
  const canEdit = useRemote(loadCanEdit, 'can-edit');
  if (settings.state.status === 'loading' || canEdit.state.status === 'loading') return <LoadingSpinner label="Loading settings…" />;
  if (settings.state.status === 'error') {
    return <ServiceAlert error={settings.state.error} title="Settings could not be loaded" onRetry={settings.reload} />;
  }
  const editable = canEdit.state.status === 'success' ? canEdit.state.data : true;
  const initial = settings.state.data;
  return (
    <Flex direction="column" gap="md">
      {!editable ? <Text testId="read-only-note">You can see these settings, but only users with the settings permission can change them.</Text> : null}
      <GeneralSettingsForm initial={initial} canEdit={editable} />
      <Divider />
      <Heading>Online payments (Stripe)</Heading>
      <StripeSection canEdit={editable} />
      <Divider />
      <Heading>Accounting export mappings</Heading>
      <AccountingMappingsForm initial={initial.accountingMappings ?? {}} canEdit={editable} />
      {editable ? (
        <>
          <Divider />
          <Heading>User permissions</Heading>
          <UserPermissionsEditor />
        </>
      ) : null}
    </Flex>
  );
}
