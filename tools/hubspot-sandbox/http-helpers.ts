import type { NextFunction, Request, Response } from 'express';
import { expiredAuthentication, missingAuthentication, missingScopes, unknownObjectType, validationError } from './errors.js';
import { OBJECT_TYPES, resolveObjectType, type CrmObjectType } from './object-types.js';
import type { SandboxStore } from './store.js';

/** What the bearer token resolved to, kept in `res.locals.crm`. */
export interface CrmContext {
  hubId: number;
  scopes: readonly string[];
}

export interface SandboxDeps {
  store: SandboxStore;
  clientId: string;
  clientSecret: string;
  /** The sandbox's own origin, for `paging.next.link`. */
  baseUrl: () => string;
}

/** Requires `Authorization: Bearer <token>` and resolves it to a hub; 401 like HubSpot otherwise. */
export function bearerAuth(store: SandboxStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const token = match?.[1] ? store.auth.accessToken(match[1]) : undefined;
    if (!token) throw missingAuthentication();
    const now = store.now();
    if (token.expiresAt <= now) throw expiredAuthentication(now - token.expiresAt);
    const ctx: CrmContext = { hubId: token.hubId, scopes: token.scopes };
    res.locals.crm = ctx;
    next();
  };
}

export function crm(res: Response): CrmContext {
  return res.locals.crm as CrmContext;
}

/** 403 MISSING_SCOPES unless the token has one of the type's read (or write) scopes. */
export function requireScope(res: Response, type: CrmObjectType, access: 'read' | 'write'): void {
  const info = OBJECT_TYPES[type];
  const accepted = access === 'read' ? info.readScopes : info.writeScopes;
  if (!accepted.some((s) => crm(res).scopes.includes(s))) throw missingScopes([accepted[0]!]);
}

/** Path segment -> object type, or HubSpot's 400 "Unable to infer object type". */
export function objectTypeParam(segment: string | undefined): CrmObjectType {
  const t = resolveObjectType(segment ?? '');
  if (!t) throw unknownObjectType(segment ?? '');
  return t;
}

/** A route parameter (Express 5 types them as `string | string[]`). */
export function param(req: Request, name: string): string {
  const v = (req.params as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.join('/') : (v ?? '');
}

/** `?properties=a,b` and `?properties=a&properties=b` alike. */
export function listParam(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function boolParam(value: unknown): boolean {
  return String(value).toLowerCase() === 'true';
}

/** A JSON body that must be an object. */
export function objectBody(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) {
    throw validationError('Invalid input JSON: expected an object in the request body');
  }
  return b as Record<string, unknown>;
}

/** `inputs` of a batch body: an array, at most `max` long, else HubSpot's 400. */
export function batchInputs(body: Record<string, unknown>, max: number): Array<Record<string, unknown>> {
  const inputs = body.inputs;
  if (!Array.isArray(inputs))
    throw validationError('Invalid input JSON: "inputs" must be an array', { errors: [{ message: 'inputs is required', in: 'inputs' }] });
  if (inputs.length > max) {
    throw validationError(`Batch input size ${inputs.length} exceeds the limit of ${max} inputs`, {
      context: { maxInputs: [String(max)], inputs: [String(inputs.length)] },
    });
  }
  return inputs.map((i, n) => {
    if (i === null || typeof i !== 'object' || Array.isArray(i)) throw validationError(`Invalid input JSON: inputs[${n}] must be an object`);
    return i as Record<string, unknown>;
  });
}

/** An id given as string or number. */
export function idOf(value: unknown, where: string): string {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw validationError(`Invalid input JSON: ${where} must be an object id`);
}

export function nowIso(store: SandboxStore): string {
  return new Date(store.now()).toISOString();
}
