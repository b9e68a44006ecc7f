import type { ErrorCode } from '../domain/error-codes.js';
import { DomainError, type FieldIssue } from '../domain/errors.js';

/**
 * Application errors are DomainErrors with a stable `code`; the HTTP error middleware maps each
 * code to a status in one table, so use cases never think in HTTP.
 */
export { DomainError as AppError };

/** The object does not exist in this portal (also for another portal's objects). */
export function notFound(what: string): DomainError {
  return new DomainError('not_found', `${what} not found`);
}

/** The draft was changed by someone else since the client read it. */
export function versionConflict(current: number): DomainError {
  return new DomainError('version_conflict', `The invoice was changed since you read it; the current version is ${current}`, [
    { path: 'version', message: `stale; current version is ${current}` },
  ]);
}

/** A business rule refused the request. */
export function ruleBroken(code: ErrorCode, message: string, details: FieldIssue[] = []): DomainError {
  return new DomainError(code, message, details);
}
