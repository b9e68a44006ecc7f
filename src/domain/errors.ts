import type { ErrorCode } from './error-codes.js';

/** One problem with one input field; `path` uses the API's field names, e.g. `lineItems[2].quantity`. */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * A rule of the domain was broken by the input. Pure code throws this; the HTTP layer maps
 * `code` to a status (validation_failed -> 400, business rules -> 422, ...).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Shorthand for a validation failure on one field. */
export function invalidField(path: string, message: string): DomainError {
  return new DomainError('validation_failed', `${path}: ${message}`, [{ path, message }]);
}
