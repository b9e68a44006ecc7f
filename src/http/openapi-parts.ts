import { z } from 'zod';
import { apiSchemas, errorResponse } from './response-parts.js';

/**
 * Builders for the OpenAPI document: every schema in it comes from a zod schema through
 * `z.toJSONSchema`, requests as input (what a client may send), responses as output (what the
 * presenters write). The per-resource `openapi.ts` files use these and export their paths.
 */

type JsonSchema = Record<string, unknown>;

/** One OpenAPI parameter (path, query or header). */
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
}

/** One OpenAPI response. */
export interface ResponseObject {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, { schema: JsonSchema }>;
}

/** One OpenAPI operation. */
export interface Operation {
  summary: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<number, ResponseObject>;
}

/** Paths of one resource: path -> method -> operation. */
export type Paths = Record<string, Partial<Record<'get' | 'head' | 'post' | 'put' | 'patch' | 'delete', Operation>>>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // Refinements and transforms cannot be written in JSON Schema; their input side is documented.
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** A JSON request body validated by `schema`. */
export function jsonBody(schema: z.ZodType): NonNullable<Operation['requestBody']> {
  return { required: true, content: { 'application/json': { schema: jsonSchema(schema, 'input') } } };
}

/** A form-encoded request body (the hosted page's pay form). */
export function formBody(schema: z.ZodType): NonNullable<Operation['requestBody']> {
  return { required: true, content: { 'application/x-www-form-urlencoded': { schema: jsonSchema(schema, 'input') } } };
}

const COMPONENT = '#/components/schemas/';

/**
 * A JSON response written by a presenter whose return type is `z.infer<typeof schema>`; a named
 * schema (see `named` in response-parts.ts) is a reference to components.schemas.
 */
export function json(description: string, schema: z.ZodType): ResponseObject {
  const id = apiSchemas.get(schema)?.id;
  return { description, content: { 'application/json': { schema: id ? { $ref: `${COMPONENT}${id}` } : jsonSchema(schema, 'output') } } };
}

/** components.schemas: every named response schema, each referring to the others by `$ref`. */
export function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(apiSchemas, { io: 'output', unrepresentable: 'any', uri: (id) => `${COMPONENT}${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest as JsonSchema]));
}

/** A response that is not JSON (a page, a file, a metrics scrape). */
export function body(description: string, contentType: string, extra: Pick<ResponseObject, 'headers'> = {}): ResponseObject {
  const schema = contentType === 'application/pdf' ? { type: 'string', format: 'binary' } : { type: 'string' };
  return { description, ...extra, content: { [contentType]: { schema } } };
}

/** A response without a body (204). */
export function noContent(description: string): ResponseObject {
  return { description };
}

/** A redirect (302, 303) to the URL in Location. */
export function redirect(description: string): ResponseObject {
  return { description, headers: { Location: { description: 'where the client goes next', schema: { type: 'string', format: 'uri' } } } };
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is invalid (validation_failed with field details, or a bad OAuth state)',
  401: 'Not authenticated',
  403: 'The caller lacks the permission',
  404: "Not found (also for another portal's objects)",
  409: 'Conflict (version, idempotency key, or state)',
  410: 'Gone: the single-use download link was already used (export_link_used)',
  413: 'The body is larger than 1 MB',
  415: 'The body is not UTF-8 JSON',
  422: 'A business rule refused the request',
  429: 'Too many requests',
  500: 'Something failed on the service side; nothing was changed',
  502: 'HubSpot or Stripe did not answer',
  503: 'Unavailable; retry',
};

/** Error answers `{"error": {"code", "message", "details"}}` for each status given. */
export function errors(...statuses: number[]): Record<number, ResponseObject> {
  return Object.fromEntries(statuses.map((s) => [s, json(ERROR_DESCRIPTIONS[s] ?? 'Error', errorResponse)]));
}

/** Parameters (`in`) from the properties of a zod object schema (a query or path schema). */
export function paramsOf(schema: z.ZodType, where: 'path' | 'query'): Parameter[] {
  const s = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, prop]) => {
    const { description, ...rest } = prop as JsonSchema & { description?: string };
    return {
      name,
      in: where,
      ...(where === 'path' || s.required?.includes(name) ? { required: true } : {}),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/** A path parameter from one zod schema. */
export function pathParam(name: string, schema: z.ZodType): Parameter {
  return { name, in: 'path', required: true, schema: jsonSchema(schema, 'input') };
}

/** `{id}` of invoices, views, batches and webhook endpoints. */
export const idParam = pathParam('id', z.uuid());

/** The optional Idempotency-Key header of state-changing routes (a retry returns the first answer). */
export const idempotencyKey: Parameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Retries with the same key and body get the first answer again (header Idempotent-Replayed: true)',
  schema: jsonSchema(z.string().regex(/^[\x21-\x7e]{1,255}$/), 'input'),
};

/** Routes outside /api/v1 authenticate otherwise (a signature, a token in the URL) or not at all. */
export const PUBLIC: Pick<Operation, 'security'> = { security: [] };
