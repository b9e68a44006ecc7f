import { ensurePortal as insertPortal } from '../db/portals-repo.js';
import type { Deps } from './deps.js';

// Portals never disappear while the process runs, so one check per portal and process suffices.
const known = new WeakMap<object, Set<number>>();

/** Makes sure the portal and its default settings exist (created on first sight). */
export async function ensurePortal(deps: Pick<Deps, 'db' | 'config'>, portalId: number): Promise<void> {
  let seen = known.get(deps.db);
  if (!seen) known.set(deps.db, (seen = new Set()));
  if (seen.has(portalId)) return;
  await insertPortal(deps.db, portalId, deps.config.defaultTimeZone);
  seen.add(portalId);
}
