import { deleteSavedView, insertSavedView, listSavedViews } from '../db/saved-views-repo.js';
import { type SavedView } from '../domain/saved-view.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { AppError, notFound } from './errors.js';
import { nothingToPrepare, runCommand, type CommandRun } from './unit-of-work.js';

/** Views belong to a user: a token without one (a portal-wide API token) has none. */
function userOf(actor: Actor): string {
  if (actor.userId === null) throw new AppError('forbidden', 'Saved views belong to a user; this token has no user');
  return actor.userId;
}

export async function listViews(deps: Pick<Deps, 'db'>, actor: Actor): Promise<SavedView[]> {
  return listSavedViews(deps.db, actor.portalId, userOf(actor));
}

/** Saves a view; `filters` were validated by the list's own schema at the edge. */
export async function saveView(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: Actor,
  name: string,
  filters: Record<string, unknown>,
  run: CommandRun<SavedView> = {},
): Promise<SavedView> {
  const userId = userOf(actor);
  return runCommand(deps, run, nothingToPrepare, async ({ trx }) => {
    try {
      return await insertSavedView(trx, actor.portalId, userId, { name, filters, now: deps.clock() });
    } catch (err) {
      if ((err as { constraint?: string }).constraint === 'saved_views_name_unique') {
        throw new AppError('view_name_taken', `You already have a view named "${name}"`, [{ path: 'name', message: 'already used by another of your views' }]);
      }
      throw err;
    }
  });
}

/** Deletes one of the actor's own views; anyone else's is "not found". */
export async function removeView(deps: Pick<Deps, 'db'>, actor: Actor, id: string, run: CommandRun<void> = {}): Promise<void> {
  const userId = userOf(actor);
  await runCommand(deps, run, nothingToPrepare, async ({ trx }) => {
    if (!(await deleteSavedView(trx, actor.portalId, userId, id))) throw notFound('View');
  });
}
