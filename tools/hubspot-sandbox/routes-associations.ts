import express, { type Router } from 'express';
import { associationType, defaultAssociationTypeId, primaryAssociationTypeId } from './association-types.js';
import { HubSpotError, validationError } from './errors.js';
import { batchInputs, crm, idOf, nowIso, objectBody, objectTypeParam, param, requireScope, type SandboxDeps } from './http-helpers.js';
import { OBJECT_TYPES } from './object-types.js';
import { associationPage, v4AssociationResults } from './present.js';

/** HubSpot caps association batch reads at 1000 ids (changelog, February 2025). */
const ASSOCIATIONS_BATCH_READ_MAX = 1000;
const V4_LIST_LIMIT_MAX = 500;

/**
 * Associations (date version 2026-03): batch read (`/crm/associations/2026-03/...`), per-record
 * list (where `paging.next.link` points), default create and delete (`/crm/objects/2026-03/...`).
 */
export function associationRoutes(deps: SandboxDeps): Router {
  const r = express.Router();
  const { store } = deps;

  r.post('/crm/associations/2026-03/:fromType/:toType/batch/read', (req, res) => {
    const fromType = objectTypeParam(param(req, 'fromType'));
    const toType = objectTypeParam(param(req, 'toType'));
    requireScope(res, fromType, 'read');
    requireScope(res, toType, 'read');
    const { hubId } = crm(res);
    const startedAt = nowIso(store);
    const inputs = batchInputs(objectBody(req), ASSOCIATIONS_BATCH_READ_MAX);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    inputs.forEach((input, n) => {
      const fromId = idOf(input.id, `inputs[${n}].id`);
      const after = typeof input.after === 'string' && input.after !== '' ? input.after : undefined;
      // A missing record and one without associations answer alike, as in HubSpot.
      const links = store.get(hubId, fromType, fromId) ? store.associations(hubId, { type: fromType, id: fromId }, toType) : [];
      const { page, nextAfter } = associationPage(links, toType, after);
      if (page.length === 0 && !after) {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${OBJECT_TYPES[toType].singular} is associated with ${OBJECT_TYPES[fromType].singular} ${fromId}.`,
          context: { fromObjectId: [fromId], fromObjectType: [OBJECT_TYPES[fromType].singular], toObjectType: [OBJECT_TYPES[toType].singular] },
        });
        return;
      }
      const link = `${deps.baseUrl()}/crm/objects/2026-03/${OBJECT_TYPES[fromType].typeId}/${fromId}/associations/${OBJECT_TYPES[toType].typeId}?after=${nextAfter}`;
      results.push({
        from: { id: fromId },
        to: v4AssociationResults(page),
        ...(nextAfter ? { paging: { next: { after: nextAfter, link } } } : {}),
      });
    });
    const completedAt = nowIso(store);
    if (errors.length === 0) res.json({ status: 'COMPLETE', results, startedAt, completedAt });
    else res.status(207).json({ status: 'COMPLETE', results, numErrors: errors.length, errors, startedAt, completedAt });
  });

  r.get('/crm/objects/2026-03/:fromType/:fromId/associations/:toType', (req, res) => {
    const fromType = objectTypeParam(param(req, 'fromType'));
    const toType = objectTypeParam(param(req, 'toType'));
    requireScope(res, fromType, 'read');
    const { hubId } = crm(res);
    const limit = req.query.limit === undefined ? V4_LIST_LIMIT_MAX : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > V4_LIST_LIMIT_MAX) throw validationError(`limit must be between 1 and ${V4_LIST_LIMIT_MAX}`);
    const fromId = param(req, 'fromId');
    const links = store.get(hubId, fromType, fromId) ? store.associations(hubId, { type: fromType, id: fromId }, toType) : [];
    const after = typeof req.query.after === 'string' ? req.query.after : undefined;
    const { page, nextAfter } = associationPage(links, toType, after, limit);
    res.json({ results: v4AssociationResults(page), ...(nextAfter ? { paging: { next: { after: nextAfter } } } : {}) });
  });

  // Associations schema API 2026-03: the pair's types, the default one unlabeled (HUBSPOT_DEFINED).
  r.get('/crm/associations/2026-03/:fromType/:toType/labels', (req, res) => {
    const fromType = objectTypeParam(param(req, 'fromType'));
    const toType = objectTypeParam(param(req, 'toType'));
    const unlabeled = defaultAssociationTypeId(fromType, toType);
    const primary = primaryAssociationTypeId(fromType, toType);
    res.json({
      results: [
        ...(unlabeled === undefined ? [] : [{ category: 'HUBSPOT_DEFINED', typeId: unlabeled, label: null }]),
        ...(primary === undefined ? [] : [{ category: 'HUBSPOT_DEFINED', typeId: primary, label: 'Primary' }]),
      ],
    });
  });

  r.put('/crm/objects/2026-03/:fromType/:fromId/associations/default/:toType/:toId', (req, res) => {
    const fromType = objectTypeParam(param(req, 'fromType'));
    const toType = objectTypeParam(param(req, 'toType'));
    requireScope(res, fromType, 'write');
    const { hubId } = crm(res);
    const startedAt = nowIso(store);
    const from = { type: fromType, id: param(req, 'fromId') };
    const to = { type: toType, id: param(req, 'toId') };
    if (defaultAssociationTypeId(fromType, toType) === undefined) {
      throw validationError(`${OBJECT_TYPES[fromType].singular} and ${OBJECT_TYPES[toType].singular} cannot be associated`);
    }
    for (const ref of [from, to]) {
      if (!store.get(hubId, ref.type, ref.id)) {
        throw new HubSpotError(404, {
          status: 'error',
          message: `${OBJECT_TYPES[ref.type].singular} ${ref.id} does not exist`,
          category: 'OBJECT_NOT_FOUND',
        });
      }
    }
    const typeId = store.associate(hubId, from, to);
    const inverse = associationType(typeId)!.inverseTypeId;
    const spec = (id: number) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: id });
    res.json({
      status: 'COMPLETE',
      results: [
        { from: { id: from.id }, to: { id: to.id }, associationSpec: spec(typeId) },
        { from: { id: to.id }, to: { id: from.id }, associationSpec: spec(inverse) },
      ],
      startedAt,
      completedAt: nowIso(store),
    });
  });

  r.delete('/crm/objects/2026-03/:fromType/:fromId/associations/:toType/:toId', (req, res) => {
    const fromType = objectTypeParam(param(req, 'fromType'));
    const toType = objectTypeParam(param(req, 'toType'));
    requireScope(res, fromType, 'write');
    store.dissociate(crm(res).hubId, { type: fromType, id: param(req, 'fromId') }, { type: toType, id: param(req, 'toId') });
    res.status(204).end();
  });

  return r;
}
