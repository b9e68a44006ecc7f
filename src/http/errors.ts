import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { ErrorCode } from '../domain/error-codes.js';
import { DomainError, type FieldIssue } from '../domain/errors.js';

/** The single map from error code to HTTP status; unknown codes of a DomainError are 422 rules. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  validation_failed: 400,
  invalid_oauth_state: 400,
  oauth_code_rejected: 400,
  unauthenticated: 401,
  portal_not_installed: 401,
  hubspot_reauth_required: 401,
  forbidden: 403,
  not_found: 404,
  invoice_not_editable: 409,
  version_conflict: 409,
  idempotency_key_reused: 409,
  idempotency_key_in_use: 409,
  number_conflict: 409,
  view_name_taken: 409,
  domain_taken: 409,
  domain_in_use: 409,
  export_link_used: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  too_many_exports: 429,
  upstream_error: 502,
  database_unavailable: 503,
  dns_unavailable: 503,
  // Only the install and refresh use cases see this; should one ever escape, it is HubSpot's refusal.
  hubspot_grant_refused: 502,
};

/**
 * Seconds a client should wait before trying again (`Retry-After`). A running export's end cannot
 * be known in advance: a few seconds is a polite first retry, not a promise.
 */
const RETRY_AFTER: Partial<Record<ErrorCode, string>> = {
  database_unavailable: '2',
  too_many_exports: '5',
};

/**
 * SQLSTATEs raised by our own triggers and constraints. They fire only when a request got past
 * the use case's own checks (a race, or a bug), and still deserve a precise answer, not a 500.
 */
const DATABASE_RULES: Record<string, () => DomainError> = {
  IV001: () => new DomainError('invoice_not_editable', 'The invoice is finalized and cannot be changed'),
  IV002: () => new DomainError('number_already_used', 'That number was already issued with this prefix'),
  IV003: () => new DomainError('invoice_not_payable', 'Payments can only be recorded on open invoices'),
  // Only reachable if the counter was forced back outside the app: the unique index still holds.
  invoices_number_unique: () => new DomainError('number_conflict', 'The next invoice number is already taken; check the numbering settings'),
  invoices_amount_paid_within_total: () =>
    new DomainError('payment_exceeds_balance', 'The payment is more than the balance due', [{ path: 'amount', message: 'exceeds the balance due' }]),
};

/** Error body of docs/api.md: `{"error": {"code", "message", "details"}}`. */
export function errorBody(code: ErrorCode, message: string, details: FieldIssue[] = []) {
  return { error: { code, message, details } };
}

function fromZod(err: ZodError): DomainError {
  // An unknown field is reported at its own path (zod reports it at the enclosing object).
  const details = err.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ path: formatPath([...i.path, key]), message: 'is not a known field' }))
      : [{ path: formatPath(i.path), message: i.message }],
  );
  return new DomainError('validation_failed', `Invalid request: ${details.map((d) => `${d.path || 'body'} ${d.message}`).join('; ')}`, details);
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

function fromDatabase(err: unknown): DomainError | null {
  const e = err as { code?: string; constraint?: string };
  if (e.constraint && DATABASE_RULES[e.constraint]) return DATABASE_RULES[e.constraint]!();
  if (e.code && DATABASE_RULES[e.code]) return DATABASE_RULES[e.code]!();
  return null;
}

/**
 * The database went away under the request (a restart, a failover, a dropped connection): the
 * transaction rolled back, so nothing changed and the client may retry (503, Retry-After).
 * SQLSTATE classes 08 (connection exception) and 57P (operator intervention), and the driver's own
 * "connection terminated" errors.
 */
function databaseUnavailable(err: unknown): DomainError | null {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const lost =
    code.startsWith('08') ||
    code.startsWith('57P') ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    /Connection terminated|Client has encountered a connection error|Knex: Timeout acquiring a connection/.test(message);
  return lost ? new DomainError('database_unavailable', 'The database is briefly unavailable; nothing was changed, retry in a moment') : null;
}

function fromBodyParser(err: unknown): DomainError | null {
  const type = (err as { type?: string }).type;
  if (type === 'entity.too.large') return new DomainError('payload_too_large', 'The request body is larger than 1 MB');
  if (type === 'entity.parse.failed') {
    return new DomainError('validation_failed', 'The request body is not valid JSON', [{ path: 'body', message: 'not valid JSON' }]);
  }
  if (type === 'parameters.too.many') {
    // The pay route's form parser caps its fields: more is a bad form, not a server fault.
    return new DomainError('validation_failed', 'The form has too many fields', [{ path: 'body', message: 'too many fields' }]);
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new DomainError('unsupported_media_type', 'Send the body as UTF-8 JSON');
  }
  return null;
}

/** Maps every error to the docs/api.md shape; anything unknown is logged and becomes a generic 500. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known =
    err instanceof DomainError ? err : err instanceof ZodError ? fromZod(err) : (fromBodyParser(err) ?? fromDatabase(err) ?? databaseUnavailable(err));
  if (known) {
    if (known.code === 'database_unavailable') req.log?.warn({ err }, 'database unavailable');
    const retryAfter = RETRY_AFTER[known.code];
    if (retryAfter) res.set('Retry-After', retryAfter);
    res.status(STATUS[known.code] ?? 422).json(errorBody(known.code, known.message, known.details));
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  res.status(500).json(errorBody('internal_error', 'Something went wrong on our side; the request changed nothing'));
};

/** 404 in the docs/api.md shape for unknown routes. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('not_found', `No route for ${req.method} ${req.path}`));
};
