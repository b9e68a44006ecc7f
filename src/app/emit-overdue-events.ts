import { insertOverdueEvents, timeZonesWithOpenInvoices } from '../db/overdue-events-repo.js';
import { todayIn } from '../domain/dates.js';
import type { Deps } from './deps.js';

/** The scheduled job that emits `invoice.overdue` (src/jobs/webhook-jobs.ts). */
export const WEBHOOK_OVERDUE_JOB = 'webhook-overdue';

/**
 * Writes one `invoice.overdue` event for every open invoice whose due date is before today in its
 * portal's time zone (the day after the due date, as the invoice list's `pastDue`), and returns
 * how many were new. A unique index lets each invoice have one overdue event ever, so running this
 * often, from several processes at once, or again after a refund reopened an invoice, sends it
 * once. "Today" is computed per time zone here rather than in SQL, with the same rule as the rest
 * of the service (`todayIn`).
 */
export async function emitOverdueEvents(deps: Pick<Deps, 'db' | 'clock' | 'logger'>): Promise<number> {
  const now = deps.clock();
  const zones = await timeZonesWithOpenInvoices(deps.db);
  let emitted = 0;
  for (const zone of zones) {
    let today: string;
    try {
      today = todayIn(zone, now);
    } catch (err) {
      deps.logger.error({ err, timeZone: zone }, 'skipping portals with an unknown time zone in the overdue scan');
      continue;
    }
    emitted += await insertOverdueEvents(deps.db, { zone, today, now });
  }
  return emitted;
}
