/**
 * The service's own money module, imported rather than rewritten, so a card and the service
 * never differ by a cent. `npm run hubspot:project` copies `src/domain` into the assembled
 * project and rewrites only the import paths below.
 */
export { computeTotals, type InvoiceTotals, type LineInput, type AdjustmentInput } from '../../../../../../src/domain/totals.js';
export { decimalStringToMinor, minorToDecimalString } from '../../../../../../src/domain/money/index.js';
export { DomainError, type FieldIssue } from '../../../../../../src/domain/errors.js';
export { formatInvoiceNumber, MAX_INVOICE_NUMBER, PREFIX_PATTERN } from '../../../../../../src/domain/numbering.js';
export { ERROR_CODES, isErrorCode, type ErrorCode } from '../../../../../../src/domain/error-codes.js';
