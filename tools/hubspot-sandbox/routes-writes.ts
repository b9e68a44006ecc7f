import express, { type Router } from 'express';
import { HubSpotError, objectNotFound } from './errors.js';
import { batchInputs, crm, nowIso, objectBody, objectTypeParam, param, requireScope, type SandboxDeps } from './http-helpers.js';
import type { CrmObjectType } from './object-types.js';
import { presentRecord } from './present.js';
import type { SandboxRecord, SandboxStore } from './store.js';
import { checkInvoiceCanOpen, checkInvoiceWrite, planAssociations, validateProperties } from './write-rules.js';

const BATCH_CREATE_MAX = 100;

/**
 * Creates one record with its associations, or nothing: a failure after the record was stored
 * (a line item that already has a parent, an invoice that cannot open) removes it again.
 */
function createOne(store: SandboxStore, hubId: number, type: CrmObjectType, input: Record<string, unknown>): SandboxRecord {
  const properties = validateProperties(store, hubId, type, input.properties);
  if (type === 'invoices') {
    checkInvoiceWrite(properties, undefined);
    properties.hs_invoice_status ??= 'draft';
  }
  const planned = planAssociations(store, hubId, type, input.associations);
  if (type === 'contacts' && properties.email) checkContactEmailFree(store, hubId, properties.email);
  const record = store.addRecord(hubId, type, properties);
  try {
    for (const a of planned) store.associate(hubId, { type, id: record.id }, a.to, a.typeId);
    if (type === 'invoices' && properties.hs_invoice_status === 'open') checkInvoiceCanOpen(store, hubId, record.id);
  } catch (err) {
    store.remove(hubId, type, record.id);
    throw err;
  }
  return record;
}

/**
 * HubSpot keeps one contact per email: a second create answers 409 with the existing id in the
 * message ("Contact already exists. Existing ID: 123").
 */
function checkContactEmailFree(store: SandboxStore, hubId: number, email: string): void {
  const existing = store.list(hubId, 'contacts').find((c) => c.properties.email?.toLowerCase() === email.toLowerCase());
  if (existing) {
    throw new HubSpotError(409, {
      status: 'error',
      message: `Contact already exists. Existing ID: ${existing.id}`,
      category: 'CONFLICT',
    });
  }
}

/** Write side of `/crm/objects/2026-03`: create, batch create, update, archive. */
export function objectWriteRoutes(deps: SandboxDeps): Router {
  const r = express.Router();
  const { store } = deps;

  r.post('/crm/objects/2026-03/:objectType/batch/create', (req, res) => {
    const type = objectTypeParam(param(req, 'objectType'));
    requireScope(res, type, 'write');
    const { hubId } = crm(res);
    const startedAt = nowIso(store);
    const inputs = batchInputs(objectBody(req), BATCH_CREATE_MAX);
    const created: SandboxRecord[] = [];
    try {
      for (const input of inputs) created.push(createOne(store, hubId, type, input));
    } catch (err) {
      // HubSpot rejects the whole batch when one input is invalid.
      for (const c of created) store.remove(hubId, type, c.id);
      throw err;
    }
    res.status(201).json({
      status: 'COMPLETE',
      results: created.map((c) => presentRecord(store, hubId, c, undefined, true)),
      startedAt,
      completedAt: nowIso(store),
    });
  });

  r.post('/crm/objects/2026-03/:objectType', (req, res) => {
    const type = objectTypeParam(param(req, 'objectType'));
    requireScope(res, type, 'write');
    const { hubId } = crm(res);
    const record = createOne(store, hubId, type, objectBody(req));
    res.status(201).json(presentRecord(store, hubId, record, undefined, true));
  });

  r.patch('/crm/objects/2026-03/:objectType/:id', (req, res) => {
    const type = objectTypeParam(param(req, 'objectType'));
    requireScope(res, type, 'write');
    const { hubId } = crm(res);
    const current = store.get(hubId, type, param(req, 'id'));
    if (!current) throw objectNotFound();
    const properties = validateProperties(store, hubId, type, objectBody(req).properties);
    if (type === 'invoices') {
      checkInvoiceWrite(properties, current.properties);
      if (properties.hs_invoice_status === 'open' && current.properties.hs_invoice_status !== 'open') {
        checkInvoiceCanOpen(store, hubId, current.id);
      }
    }
    const updated = store.updateRecord(hubId, type, current.id, properties);
    res.json(presentRecord(store, hubId, updated, undefined, true));
  });

  r.delete('/crm/objects/2026-03/:objectType/:id', (req, res) => {
    const type = objectTypeParam(param(req, 'objectType'));
    requireScope(res, type, 'write');
    store.archive(crm(res).hubId, type, param(req, 'id'));
    res.status(204).end();
  });

  return r;
}
