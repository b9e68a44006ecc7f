import express, { type Router } from 'express';
import { objectNotFound, validationError } from './errors.js';
import { batchInputs, boolParam, crm, idOf, listParam, nowIso, objectBody, objectTypeParam, param, requireScope, type SandboxDeps } from './http-helpers.js';
import { OBJECT_TYPES, resolveObjectType } from './object-types.js';
import { associationPage, presentRecord, selectProperties, v3AssociationResults, type PublicObject } from './present.js';
import type { SandboxRecord } from './store.js';

const BATCH_READ_MAX = 100;
const SEARCH_LIMIT_MAX = 200;
const SEARCH_FILTER_GROUPS_MAX = 5;
const SEARCH_FILTERS_PER_GROUP_MAX = 6;

interface Filter {
  propertyName?: unknown;
  operator?: unknown;
  value?: unknown;
  values?: unknown;
}

/** Read side of `/crm/objects/2026-03`: get one, batch read, search. */
export function objectReadRoutes(deps: SandboxDeps): Router {
  const r = express.Router();
  const { store } = deps;

  r.get('/crm/objects/2026-03/:objectType/:id', (req, res) => {
    const type = objectTypeParam(param(req, 'objectType'));
    requireScope(res, type, 'read');
    const { hubId } = crm(res);
    const archived = boolParam(req.query.archived);
    const record = store.get(hubId, type, param(req, 'id'), archived);
    if (!record || record.archived !== archived) throw objectNotFound();
    const body: PublicObject = presentRecord(store, hubId, record, listParam(req.query.properties));
    const wanted = [...new Set((listParam(req.query.associations) ?? []).map(resolveObjectType))];
    const associations: NonNullable<PublicObject['associations']> = {};
    for (const toType of wanted) {
      if (!toType) continue;
      const links = store.associations(hubId, { type, id: record.id }, toType);
      if (links.length === 0) continue;
      const { page, nextAfter } = associationPage(links, toType, undefined);
      const link = `${deps.baseUrl()}/crm/objects/2026-03/${OBJECT_TYPES[type].typeId}/${record.id}/associations/${OBJECT_TYPES[toType].typeId}?after=${nextAfter}`;
      associations[OBJECT_TYPES[toType].associationsKey] = {
        results: v3AssociationResults(page),
        ...(nextAfter ? { paging: { next: { after: nextAfter, link } } } : {}),
      };
    }
    if (Object.keys(associations).length > 0) body.associations = associations;
    res.json(body);
  });

  r.post('/crm/objects/2026-03/:objectType/batch/read', (req, res) => {
    const type = objectTypeParam(param(req, 'objectType'));
    requireScope(res, type, 'read');
    const { hubId } = crm(res);
    const startedAt = nowIso(store);
    const body = objectBody(req);
    const inputs = batchInputs(body, BATCH_READ_MAX);
    const properties = Array.isArray(body.properties) ? body.properties.map(String) : undefined;
    const idProperty = typeof body.idProperty === 'string' && body.idProperty !== 'hs_object_id' ? body.idProperty : undefined;
    const archived = boolParam(req.query.archived);
    const ids = [...new Set(inputs.map((i, n) => idOf(i.id, `inputs[${n}].id`)))];
    const results: PublicObject[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const record = idProperty ? store.list(hubId, type).find((x) => x.properties[idProperty] === id) : store.get(hubId, type, id, archived);
      if (record && record.archived === archived) results.push(presentRecord(store, hubId, record, properties));
      else missing.push(id);
    }
    const completedAt = nowIso(store);
    if (missing.length === 0) {
      res.json({ status: 'COMPLETE', results, startedAt, completedAt });
      return;
    }
    res.status(207).json({
      status: 'COMPLETE',
      results,
      numErrors: 1,
      errors: [
        {
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message: `Could not get some ${OBJECT_TYPES[type].upper} objects, they may be deleted or not exist. Check that ids are valid.`,
          context: { ids: missing },
        },
      ],
      startedAt,
      completedAt,
    });
  });

  r.post('/crm/objects/2026-03/:objectType/search', (req, res) => {
    const type = objectTypeParam(param(req, 'objectType'));
    requireScope(res, type, 'read');
    const { hubId } = crm(res);
    const body = objectBody(req);
    const limit = body.limit === undefined ? 10 : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 0 || limit > SEARCH_LIMIT_MAX) {
      throw validationError(`limit must be between 0 and ${SEARCH_LIMIT_MAX}`);
    }
    const offset = body.after === undefined ? 0 : Number(body.after);
    if (!Number.isInteger(offset) || offset < 0) throw validationError('after must be a paging cursor returned by a previous search');
    const groups = parseFilterGroups(body.filterGroups);
    const value = (rec: SandboxRecord, name: string): string | null => selectProperties(store, hubId, rec, [name])[name] ?? rec.properties[name] ?? null;
    const matches = store
      .list(hubId, type)
      .filter((rec) => groups.length === 0 || groups.some((g) => g.every((f) => matchFilter(f, value(rec, String(f.propertyName))))));
    sortRecords(matches, body.sorts, value);
    const page = matches.slice(offset, offset + limit);
    const properties = Array.isArray(body.properties) ? body.properties.map(String) : undefined;
    const next = offset + limit < matches.length ? { paging: { next: { after: String(offset + limit) } } } : {};
    res.json({ total: matches.length, results: page.map((rec) => presentRecord(store, hubId, rec, properties)), ...next });
  });

  return r;
}

function parseFilterGroups(input: unknown): Filter[][] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) throw validationError('Invalid input JSON: "filterGroups" must be an array');
  if (input.length > SEARCH_FILTER_GROUPS_MAX) throw validationError(`Too many filter groups: at most ${SEARCH_FILTER_GROUPS_MAX} are allowed`);
  return input.map((g: unknown, n) => {
    const filters = (g as { filters?: unknown })?.filters;
    if (!Array.isArray(filters)) throw validationError(`Invalid input JSON: filterGroups[${n}].filters must be an array`);
    if (filters.length > SEARCH_FILTERS_PER_GROUP_MAX) throw validationError(`Too many filters in filterGroups[${n}]: at most ${SEARCH_FILTERS_PER_GROUP_MAX}`);
    for (const f of filters as Filter[]) {
      if (typeof f?.propertyName !== 'string') throw validationError(`Invalid input JSON: filterGroups[${n}] has a filter without propertyName`);
      if (!['EQ', 'NEQ', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'].includes(String(f.operator))) {
        throw validationError(
          `Unsupported filter operator ${String(f.operator)} (the local CRM sandbox supports EQ, NEQ, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY)`,
        );
      }
    }
    return filters as Filter[];
  });
}

function matchFilter(f: Filter, actual: string | null): boolean {
  const values = Array.isArray(f.values) ? f.values.map(String) : [];
  switch (f.operator) {
    case 'EQ':
      return actual !== null && actual === String(f.value);
    case 'NEQ':
      return actual !== String(f.value);
    case 'IN':
      return actual !== null && values.includes(actual);
    case 'NOT_IN':
      return actual === null || !values.includes(actual);
    case 'HAS_PROPERTY':
      return actual !== null && actual !== '';
    default:
      return actual === null || actual === '';
  }
}

function sortRecords(records: SandboxRecord[], sorts: unknown, value: (r: SandboxRecord, name: string) => string | null): void {
  const first = Array.isArray(sorts) ? (sorts[0] as unknown) : undefined;
  if (first === undefined) return;
  const spec =
    typeof first === 'string'
      ? { propertyName: first.replace(/^-/, ''), direction: first.startsWith('-') ? 'DESCENDING' : 'ASCENDING' }
      : (first as { propertyName?: string; direction?: string });
  if (!spec.propertyName) return;
  const sign = spec.direction === 'DESCENDING' ? -1 : 1;
  records.sort((a, b) => sign * String(value(a, spec.propertyName!) ?? '').localeCompare(String(value(b, spec.propertyName!) ?? ''), 'en', { numeric: true }));
}
