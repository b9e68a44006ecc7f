/**
 * Shared assertions for the money tests (not imported by production code).
 */
import { expect } from 'vitest';
import { DomainError } from '../errors.js';

/** Asserts that `fn` throws a `validation_failed` DomainError that names `path`. */
export function expectFieldError(fn: () => unknown, path: string, message?: string | RegExp): DomainError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected a DomainError at ${path}`).toBeInstanceOf(DomainError);
  const error = caught as DomainError;
  expect(error.code).toBe('validation_failed');
  const issue = error.details.find((detail) => detail.path === path);
  expect(issue, `details ${JSON.stringify(error.details)} should name ${path}`).toBeDefined();
  if (message !== undefined) expect(issue?.message).toMatch(message);
  return error;
}
