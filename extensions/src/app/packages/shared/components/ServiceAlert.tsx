import { Alert, Button, Text } from '@hubspot/ui-extensions';
import type { ServiceError } from '../lib/api';

/** A service error as a readable alert, with the field problems it named and an optional retry. */
export function ServiceAlert({ error, title, onRetry }: { error: ServiceError; title: string; onRetry?: () => void }) {
  return (
    <Alert title={title} variant="error">
      <Text>{error.message}</Text>
      {error.details.slice(0, 5).map((d) => (
        <Text key={`${d.path}:${d.message}`} variant="microcopy">
          {d.path}: {d.message}
        </Text>
      ))}
      {onRetry ? (
        <Button size="xs" variant="secondary" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </Alert>
  );
}
