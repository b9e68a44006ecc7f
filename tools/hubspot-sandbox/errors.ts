import { randomUUID } from 'node:crypto';

/**
 * HubSpot's error bodies. CRM APIs answer `{status: "error", message, correlationId, category,
 * errors?, context?, subCategory?}`; the v1 OAuth endpoints answer `{status: "BAD_AUTH_CODE", message,
 * correlationId}`. Handlers throw `HubSpotError`; the server's error middleware renders it.
 */
export interface HubSpotErrorBody {
  status: string;
  message: string;
  correlationId: string;
  category?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: Array<{ message: string; in?: string; code?: string; context?: Record<string, string[]> }>;
  links?: Record<string, string>;
  /** RFC 6749 fields of OAuth errors. */
  error?: string;
  error_description?: string;
}

export class HubSpotError extends Error {
  readonly body: HubSpotErrorBody;

  constructor(
    readonly httpStatus: number,
    body: Omit<HubSpotErrorBody, 'correlationId'>,
  ) {
    super(body.message);
    this.name = 'HubSpotError';
    // Key order as HubSpot sends it: status, message, correlationId, then the rest.
    const { status, message, ...rest } = body;
    this.body = { status, message, correlationId: randomUUID(), ...rest };
  }
}

export function correlationId(): string {
  return randomUUID();
}

/** 400 VALIDATION_ERROR with a free-form message. */
export function validationError(message: string, extra: Partial<HubSpotErrorBody> = {}): HubSpotError {
  return new HubSpotError(400, { status: 'error', message, category: 'VALIDATION_ERROR', ...extra });
}

/** 404 for a record that does not exist or is archived. */
export function objectNotFound(): HubSpotError {
  return new HubSpotError(404, { status: 'error', message: 'resource not found', category: 'OBJECT_NOT_FOUND' });
}

/** 400 for an object type HubSpot does not know. */
export function unknownObjectType(segment: string): HubSpotError {
  return validationError(`Unable to infer object type from: ${segment}`);
}

/** 401 when the bearer token is missing or unknown. */
export function missingAuthentication(): HubSpotError {
  return new HubSpotError(401, {
    status: 'error',
    message:
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    category: 'INVALID_AUTHENTICATION',
  });
}

/** 401 when the bearer token has expired. */
export function expiredAuthentication(expiredMs: number): HubSpotError {
  const minutes = Math.max(0, Math.floor(expiredMs / 60_000));
  return new HubSpotError(401, {
    status: 'error',
    message: `The OAuth token used to make this call expired ${minutes} minute(s) ago.`,
    category: 'EXPIRED_AUTHENTICATION',
  });
}

/** 403 when the token lacks the scope a call needs. */
export function missingScopes(required: readonly string[]): HubSpotError {
  return new HubSpotError(403, {
    status: 'error',
    message: "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [...required] } }],
    links: { scopes: 'https://developers.hubspot.com/scopes' },
    category: 'MISSING_SCOPES',
  });
}

export interface PropertyProblem {
  name: string;
  error: 'PROPERTY_DOESNT_EXIST' | 'INVALID_OPTION' | 'READ_ONLY_VALUE' | 'INVALID_DECIMAL';
  message: string;
}

/** 400 "Property values were not valid", with HubSpot's JSON-in-the-message list of problems. */
export function invalidProperties(problems: PropertyProblem[]): HubSpotError {
  const list = problems.map((p) => ({
    isValid: false,
    message: p.message,
    error: p.error,
    name: p.name,
    localizedErrorMessage: p.message,
  }));
  return validationError(`Property values were not valid: ${JSON.stringify(list)}`);
}

const RFC6749_ERROR: Readonly<Record<string, string>> = {
  BAD_AUTH_CODE: 'invalid_grant',
  EXPIRED_AUTH_CODE: 'invalid_grant',
  BAD_REFRESH_TOKEN: 'invalid_grant',
  BAD_REDIRECT_URI: 'invalid_grant',
  BAD_CLIENT_ID: 'invalid_client',
  BAD_GRANT_TYPE: 'unsupported_grant_type',
};

/**
 * OAuth error (`POST /oauth/2026-03/token`, `GET /oauth/authorize`): the RFC 6749 `error` and
 * `error_description` next to HubSpot's own `status` and `message`, as HubSpot's standardized
 * OAuth errors carry both.
 */
export function oauthError(status: string, message: string, httpStatus = 400): HubSpotError {
  return new HubSpotError(httpStatus, { error: RFC6749_ERROR[status] ?? 'invalid_request', error_description: message, status, message });
}
