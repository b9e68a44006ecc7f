import { queryAging } from '../db/aging-query.js';
import { findSettings } from '../db/portals-repo.js';
import type { AgingRow } from '../domain/aging.js';
import { todayIn } from '../domain/dates.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound } from './errors.js';

/**
 * Aging of the portal's open invoices as of `asOf` (default: today in the portal's time zone).
 * Balances are today's balances: a past `asOf` re-ages the invoices open now, it does not
 * reconstruct which invoices were open then.
 */
export async function agingReport(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: Actor,
  asOf: string | undefined,
): Promise<{ asOf: string; timeZone: string; rows: AgingRow[] }> {
  const settings = await findSettings(deps.db, actor.portalId);
  if (!settings) throw notFound('Portal');
  const date = asOf ?? todayIn(settings.timeZone, deps.clock());
  return { asOf: date, timeZone: settings.timeZone, rows: await queryAging(deps.db, actor.portalId, date) };
}
