import { findSettings } from '../db/portals-repo.js';
import { todayIn } from '../domain/dates.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound } from './errors.js';

/** Today's date in the portal's time zone (what "past due" is measured against). */
export async function portalToday(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor): Promise<string> {
  const settings = await findSettings(deps.db, actor.portalId);
  if (!settings) throw notFound('Portal');
  return todayIn(settings.timeZone, deps.clock());
}
