import { z } from 'zod';
import { ERROR_CODES } from '../domain/error-codes.js';
import { PERMISSIONS } from '../domain/permissions.js';

/**
 * Shared zod pieces for response bodies. Response objects are strict (`z.strictObject`): the
 * contract test parses real answers with them, so a field added or dropped without the schema
 * fails there, and the OpenAPI document says `additionalProperties: false`.
 */

/** The named response schemas: the OpenAPI document lists them once, under components.schemas. */
export const apiSchemas = z.registry<{ id: string }>();

/** Registers `schema` under `id` (unique) in {@link apiSchemas}; returns the schema itself. */
export function named<T extends z.ZodType>(id: string, schema: T): T {
  apiSchemas.add(schema, { id });
  return schema;
}

/** An instant as the API writes it (`Date#toISOString()`, UTC). */
export const timestamp = z.iso.datetime();

/** A calendar date, YYYY-MM-DD. */
export const calendarDate = z.iso.date();

/** Money in minor units of the invoice's currency. */
export const minor = z.number().int();

/** The 7 permissions, each true or false. */
export const permissionSetResponse = named(
  'PermissionSet',
  z.strictObject(Object.fromEntries(PERMISSIONS.map((p) => [p, z.boolean()])) as Record<(typeof PERMISSIONS)[number], z.ZodBoolean>),
);

/** Explicit grants: only the permissions a user was given or refused explicitly. */
export const explicitGrantsResponse = named('ExplicitGrants', permissionSetResponse.partial());

/** A page of a list: `{"data": [...], "nextCursor"}`; `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.strictObject({ data: z.array(item), nextCursor: z.string().nullable() });
}

/** A list that is never paged (the whole list in one answer): `nextCursor` is always null. */
export function wholeListOf<T extends z.ZodType>(item: T) {
  return z.strictObject({ data: z.array(item), nextCursor: z.null() });
}

/** One problem with one field, e.g. `lineItems[2].quantity`. */
export const fieldIssueResponse = named('FieldIssue', z.strictObject({ path: z.string(), message: z.string() }));

/** Every error answer: `{"error": {"code", "message", "details"}}`. */
export const errorResponse = named(
  'Error',
  z.strictObject({
    error: z.strictObject({ code: z.enum(ERROR_CODES), message: z.string(), details: z.array(fieldIssueResponse) }),
  }),
);
