import { Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../../app/deps.js';
import { listDealQuotes } from '../../app/list-deal-quotes.js';
import { listInvoices } from '../../app/list-invoices.js';
import { LINE_ITEM_SOURCES, listRecordLineItems } from '../../app/list-record-line-items.js';
import { OBJECT_TYPES } from '../../domain/invoice.js';
import { requirePermission } from '../auth.js';
import { actorOf } from '../context.js';
import { presentInvoice } from '../invoices/presenter.js';
import { presentPermissions } from '../users/presenter.js';
import { hubspotId } from '../schema-parts.js';
import { presentRecordLineItems } from './presenter.js';

const recordParams = z.object({ objectType: z.enum(OBJECT_TYPES), objectId: hubspotId });
const lineItemParams = z.object({ objectType: z.enum(LINE_ITEM_SOURCES, { error: 'must be deals or quotes: only they have line items' }), objectId: hubspotId });
const pageQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(500).optional() });

/** /api/v1/records: what the CRM record cards show. */
export function recordsRouter(deps: Deps): Router {
  const r = Router();
  r.get('/deals/:dealId/quotes', requirePermission('view'), async (req, res) => {
    const { dealId } = z.object({ dealId: hubspotId }).parse(req.params);
    const quotes = await listDealQuotes(deps, actorOf(res), dealId);
    res.json({ data: quotes.map((q) => ({ id: q.id, title: q.title, status: q.status, currency: q.currency, convertible: q.convertible })), nextCursor: null });
  });
  r.get('/:objectType/:objectId/invoices', requirePermission('view'), async (req, res) => {
    const { objectType, objectId } = recordParams.parse(req.params);
    const { limit, cursor } = pageQuery.parse(req.query);
    const page = await listInvoices(deps, actorOf(res), { view: 'all', sort: '-createdAt', objectType, objectId, limit, cursor });
    const ctx = { today: page.today, publicBaseUrl: deps.config.publicBaseUrl };
    res.json({ data: page.invoices.map((i) => presentInvoice(i, ctx)), nextCursor: page.nextCursor, permissions: presentPermissions(actorOf(res)) });
  });
  r.get('/:objectType/:objectId/line-items', requirePermission('view'), async (req, res) => {
    const source = lineItemParams.parse(req.params);
    res.json(presentRecordLineItems(await listRecordLineItems(deps, actorOf(res), source)));
  });
  return r;
}
