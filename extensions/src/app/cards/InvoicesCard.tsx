import { hubspot, Text } from '@hubspot/ui-extensions';
import { InvoicesCardView } from './components/InvoicesCardView';
import { objectTypeFromId } from './lib/record';

// Thin entry: read the record from the context, render the card.
hubspot.extend<'crm.record.sidebar'>(({ context }) => {
  const objectType = objectTypeFromId(context.crm.objectTypeId);
  if (!objectType) return <Text>Invoices are available on contacts, companies and deals.</Text>;
  return <InvoicesCardView objectType={objectType} objectId={String(context.crm.objectId)} />;
});
