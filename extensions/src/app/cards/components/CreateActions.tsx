import { Flex, LoadingButton } from '@hubspot/ui-extensions';
import type { Quote } from '@invoices/shared/lib/types';

interface Props {
  quotes: Quote[];
  busy: string | null;
  onCreate: () => void;
  onFromQuote: (quoteId: string) => void;
}

/** "Create invoice" from the record and, on deals, "From quote" for each published quote. */
export function CreateActions({ quotes, busy, onCreate, onFromQuote }: Props) {
  return (
    <Flex direction="row" gap="sm" wrap>
      <LoadingButton size="xs" variant="primary" testId="create-invoice" loading={busy === 'create'} disabled={busy !== null} onClick={onCreate}>
        Create invoice
      </LoadingButton>
      {quotes
        .filter((q) => q.convertible)
        .map((q) => (
          <LoadingButton
            key={q.id}
            size="xs"
            variant="secondary"
            testId={`from-quote-${q.id}`}
            loading={busy === `quote-${q.id}`}
            disabled={busy !== null}
            onClick={() => onFromQuote(q.id)}
          >
            {`From quote ${q.title || q.id}`}
          </LoadingButton>
        ))}
    </Flex>
  );
}
