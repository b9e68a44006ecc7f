import express, { type Response, type Router } from 'express';
import { HubSpotError, missingScopes, validationError } from './errors.js';
import { batchInputs, crm, nowIso, objectBody, objectTypeParam, param, type SandboxDeps } from './http-helpers.js';
import type { CrmObjectType } from './object-types.js';

const BATCH_CREATE_MAX = 100;
const PROPERTY_TYPES = new Set(['bool', 'date', 'datetime', 'enumeration', 'number', 'phone_number', 'string']);
const FIELD_TYPES = new Set([
  'booleancheckbox',
  'calculation_equation',
  'checkbox',
  'date',
  'file',
  'html',
  'number',
  'phonenumber',
  'radio',
  'select',
  'text',
  'textarea',
]);
/** HubSpot's internal names: lower case letters, digits and underscores, starting with a letter. */
const NAME = /^[a-z][a-z0-9_]*$/;

/**
 * HubSpot's properties API needs a schema scope of the type (`crm.schemas.invoices.write` for
 * invoices) to create groups and properties: 403 MISSING_SCOPES otherwise.
 */
function requireSchemaWrite(res: Response, type: CrmObjectType): void {
  const scope = `crm.schemas.${type}.write`;
  if (!crm(res).scopes.includes(scope)) throw missingScopes([scope]);
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** One property input checked like HubSpot's PropertyCreate (name, label, type, fieldType, groupName). */
function propertyInput(store: SandboxDeps['store'], hubId: number, type: CrmObjectType, input: Record<string, unknown>, n: number) {
  const name = text(input.name);
  const label = text(input.label);
  const groupName = text(input.groupName);
  const pType = text(input.type);
  const fieldType = text(input.fieldType);
  const missing = [!name && 'name', !label && 'label', !groupName && 'groupName', !pType && 'type', !fieldType && 'fieldType'].filter(Boolean);
  if (missing.length > 0) throw validationError(`Invalid input JSON: inputs[${n}] is missing ${missing.join(', ')}`);
  if (!NAME.test(name!)) throw validationError(`Property name '${name}' is not valid: use lower case letters, digits and underscores`);
  if (!PROPERTY_TYPES.has(pType!)) throw validationError(`Invalid property type '${pType}'`);
  if (!FIELD_TYPES.has(fieldType!)) throw validationError(`Invalid field type '${fieldType}'`);
  if (pType === 'enumeration' && (!Array.isArray(input.options) || input.options.length === 0)) {
    throw validationError(`Property '${name}' of type enumeration needs options`);
  }
  if (store.propertyGroup(hubId, type, groupName!) === undefined && !isStandardGroup(type, groupName!)) {
    throw validationError(`Property group '${groupName}' does not exist for ${type}`, {
      category: 'VALIDATION_ERROR',
      subCategory: 'Properties.PROPERTY_GROUP_NOT_FOUND',
    });
  }
  return { name: name!, label: label!, groupName: groupName!, type: pType!, fieldType: fieldType! };
}

/** HubSpot's own `<singular>information` groups exist in every portal. */
function isStandardGroup(type: CrmObjectType, group: string): boolean {
  return group === `${type.replace(/s$/, '')}information`;
}

/** `/crm/properties/2026-03/{type}/groups[/{name}]` and `/crm/properties/2026-03/{type}/batch/create`. */
export function propertyRoutes(deps: SandboxDeps): Router {
  const r = express.Router();
  const { store } = deps;

  r.get('/crm/properties/2026-03/:objectType/groups/:groupName', (req, res) => {
    const type = objectTypeParam(param(req, 'objectType'));
    const { hubId } = crm(res);
    const name = param(req, 'groupName');
    const label = store.propertyGroup(hubId, type, name) ?? (isStandardGroup(type, name) ? name : undefined);
    if (label === undefined) {
      throw new HubSpotError(404, { status: 'error', message: `Unable to find property group ${name}`, category: 'OBJECT_NOT_FOUND' });
    }
    res.json({ name, label, displayOrder: -1, archived: false });
  });

  r.post('/crm/properties/2026-03/:objectType/groups', (req, res) => {
    const type = objectTypeParam(param(req, 'objectType'));
    requireSchemaWrite(res, type);
    const { hubId } = crm(res);
    const body = objectBody(req);
    const name = text(body.name);
    const label = text(body.label);
    if (!name || !label) throw validationError('Invalid input JSON: name and label are required');
    if (!NAME.test(name)) throw validationError(`Property group name '${name}' is not valid: use lower case letters, digits and underscores`);
    if (!store.definePropertyGroup(hubId, type, name, label)) {
      throw new HubSpotError(409, {
        status: 'error',
        message: `A property group named '${name}' already exists.`,
        category: 'OBJECT_ALREADY_EXISTS',
        subCategory: 'PropertyGroupError.GROUP_ALREADY_EXISTS',
        context: { name: [name] },
      });
    }
    res.status(201).json({ name, label, displayOrder: typeof body.displayOrder === 'number' ? body.displayOrder : -1, archived: false });
  });

  r.post('/crm/properties/2026-03/:objectType/batch/create', (req, res) => {
    const type = objectTypeParam(param(req, 'objectType'));
    requireSchemaWrite(res, type);
    const { hubId } = crm(res);
    const startedAt = nowIso(store);
    // The whole batch is checked first: an invalid input refuses the batch, as HubSpot does.
    const inputs = batchInputs(objectBody(req), BATCH_CREATE_MAX).map((input, n) => ({ raw: input, ...propertyInput(store, hubId, type, input, n) }));
    const results: Array<Record<string, unknown>> = [];
    const errors: Array<Record<string, unknown>> = [];
    for (const input of inputs) {
      if (store.isKnownProperty(hubId, type, input.name)) {
        errors.push({
          status: 'error',
          category: 'OBJECT_ALREADY_EXISTS',
          subCategory: 'Properties.PROPERTY_WITH_NAME_EXISTS',
          message: `A property named '${input.name}' already exists.`,
          context: { name: [input.name] },
        });
        continue;
      }
      store.defineProperty(hubId, type, input.name);
      const at = nowIso(store);
      results.push({
        ...input.raw,
        name: input.name,
        label: input.label,
        type: input.type,
        fieldType: input.fieldType,
        groupName: input.groupName,
        description: typeof input.raw.description === 'string' ? input.raw.description : '',
        options: Array.isArray(input.raw.options) ? input.raw.options : [],
        hasUniqueValue: input.raw.hasUniqueValue === true,
        hidden: input.raw.hidden === true,
        formField: input.raw.formField === true,
        calculated: false,
        externalOptions: false,
        archived: false,
        createdAt: at,
        updatedAt: at,
        modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
      });
    }
    const base = { status: 'COMPLETE', results, startedAt, completedAt: nowIso(store) };
    if (errors.length > 0) res.status(207).json({ ...base, errors, numErrors: errors.length });
    else res.status(201).json(base);
  });

  return r;
}
