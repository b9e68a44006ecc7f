import { invalidField } from './errors.js';

/** Letters and digits first, then up to 19 of letters, digits, `_`, `.`, `/`, `-`. Same rule as the database CHECK. */
export const PREFIX_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_./-]{0,19}$/;
/** Highest invoice number; the counter may stand one past it, meaning the prefix is used up. */
export const MAX_INVOICE_NUMBER = 999_999_999_999;

/** `INV` + 1001 -> `INV-1001`. The same format is produced inside the finalize SQL. */
export function formatInvoiceNumber(prefix: string, seq: number): string {
  return `${prefix}-${seq}`;
}

/** Throws a field error unless `prefix` is a valid number prefix. */
export function assertValidPrefix(prefix: string, path = 'numberPrefix'): void {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw invalidField(path, 'must be 1-20 characters: letters, digits, "_", ".", "/" or "-", starting with a letter or digit');
  }
}
