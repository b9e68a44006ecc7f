import type { Db } from './invoices-repo.js';
import type { SavedView } from '../domain/saved-view.js';

interface SavedViewRow {
  id: string;
  name: string;
  filters: Record<string, unknown>;
  created_at: Date;
}

const toView = (r: SavedViewRow): SavedView => ({ id: r.id, name: r.name, filters: r.filters, createdAt: r.created_at });

/** A user's views, by name. */
export async function listSavedViews(db: Db, portalId: number, userId: string): Promise<SavedView[]> {
  const rows = (await db('saved_views')
    .where({ portal_id: portalId, user_id: userId })
    .orderBy([{ column: 'name' }, { column: 'id' }])) as SavedViewRow[];
  return rows.map(toView);
}

/** Inserts a view; the unique (portal_id, user_id, name) constraint refuses a duplicate name. */
export async function insertSavedView(
  db: Db,
  portalId: number,
  userId: string,
  view: { name: string; filters: Record<string, unknown>; now: Date },
): Promise<SavedView> {
  const [row] = (await db('saved_views')
    .insert({ portal_id: portalId, user_id: userId, name: view.name, filters: JSON.stringify(view.filters), created_at: view.now })
    .returning(['id', 'name', 'filters', 'created_at'])) as SavedViewRow[];
  return toView(row!);
}

/** Deletes one of the user's views; false when there is none with that id (or it is someone else's). */
export async function deleteSavedView(db: Db, portalId: number, userId: string, id: string): Promise<boolean> {
  // RETURNING rather than the affected-row count, which not every driver (PGlite) reports.
  const rows = (await db('saved_views').where({ portal_id: portalId, user_id: userId, id }).delete().returning('id')) as unknown[];
  return rows.length > 0;
}
