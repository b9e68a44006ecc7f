import { Router } from 'express';
import type { Deps } from '../../app/deps.js';
import { listDealQuotes } from '../../app/list-deal-quotes.js';
import { listInvoices } from '../../app/list-invoices.js';
import { listRecordLineItems } from '../../app/list-record-line-items.js';
import { requirePermission } from '../auth.js';
import { actorOf } from '../context.js';
import { presentInvoice } from '../invoices/presenter.js';
import { presentPermissions } from '../users/presenter.js';
import { presentRecordLineItems } from './presenter.js';
import type { QuoteListResponse } from './response.js';
import { dealParams, lineItemParams, pageQuery, recordParams } from './schema.js';

/** /api/v1/records: what the CRM record cards show. */
export function recordsRouter(deps: Deps): Router {
  const r = Router();
  r.get('/deals/:dealId/quotes', requirePermission('view'), async (req, res) => {
    const { dealId } = dealParams.parse(req.params);
    const quotes = await listDealQuotes(deps, actorOf(res), dealId);
    const body: QuoteListResponse = {
      data: quotes.map((q) => ({ id: q.id, title: q.title, status: q.status, currency: q.currency, convertible: q.convertible })),
      nextCursor: null,
    };
    res.json(body);
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
