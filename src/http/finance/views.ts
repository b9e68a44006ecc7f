import { Router } from 'express';
import type { Deps } from '../../app/deps.js';
import { AppError } from '../../app/errors.js';
import { listViews, removeView, saveView } from '../../app/saved-views.js';
import { respond } from '../idempotent.js';
import type { SavedView } from '../../domain/saved-view.js';
import { requirePermission } from '../auth.js';
import { actorOf } from '../context.js';
import { listInvoicesQuery } from '../invoices/schema.js';
import type { SavedViewResponse } from './response.js';
import { createViewBody } from './schema.js';

/** Filters a view may save: the list's own parameters except the page position. */
const SAVABLE = Object.keys(listInvoicesQuery.shape).filter((k) => k !== 'cursor');

/** Validates filters exactly as GET /api/v1/invoices would, and refuses anything it would ignore. */
function parseFilters(filters: Record<string, unknown>): Record<string, unknown> {
  const unknown = Object.keys(filters).filter((k) => !SAVABLE.includes(k));
  if (unknown.length > 0) {
    throw new AppError(
      'validation_failed',
      `Unknown filters: ${unknown.join(', ')}`,
      unknown.map((k) => ({ path: `filters.${k}`, message: 'is not a list filter' })),
    );
  }
  const parsed = listInvoicesQuery.safeParse(filters);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: ['filters', ...i.path.map(String)].join('.'), message: i.message }));
    throw new AppError('validation_failed', `Invalid filters: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
  }
  // Store what the user chose (after coercion), not the schema's defaults, so defaults can evolve.
  const data = parsed.data as Record<string, unknown>;
  return Object.fromEntries(Object.keys(filters).map((k) => [k, data[k]]));
}

// Filters are stored only as parseFilters returns them: list parameters, each a string or a number.
const present = (v: SavedView): SavedViewResponse => ({
  id: v.id,
  name: v.name,
  filters: v.filters as SavedViewResponse['filters'],
  createdAt: v.createdAt.toISOString(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** /api/v1/views: the actor's own saved invoice-list views. */
export function viewsRouter(deps: Deps): Router {
  const r = Router();
  const read = requirePermission('view');
  r.get('/', read, async (_req, res) => {
    res.json({ data: (await listViews(deps, actorOf(res))).map(present), nextCursor: null });
  });
  r.post('/', read, async (req, res) => {
    const body = createViewBody.parse(req.body ?? {});
    const filters = parseFilters(body.filters);
    await respond<SavedView>(
      req,
      res,
      (run) => saveView(deps, actorOf(res), body.name, filters, run),
      (view) => ({ status: 201, body: present(view) }),
    );
  });
  r.delete('/:id', read, async (req, res) => {
    const id = String(req.params.id ?? '');
    if (!UUID.test(id)) throw new AppError('not_found', 'View not found');
    await respond(
      req,
      res,
      (run) => removeView(deps, actorOf(res), id.toLowerCase(), run),
      () => ({ status: 204, body: null }),
    );
  });
  return r;
}
