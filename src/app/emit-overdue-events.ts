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
  const zones = (await deps.db.raw(
    `SELECT DISTINCT s.time_zone FROM portal_settings s
      WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.portal_id = s.portal_id AND i.status = 'open')`,
  )).rows as Array<{ time_zone: string }>;
  let emitted = 0;
  for (const { time_zone: zone } of zones) {
    let today: string;
    try {
      today = todayIn(zone, now);
    } catch (err) {
      deps.logger.error({ err, timeZone: zone }, 'skipping portals with an unknown time zone in the overdue scan');
      continue;
    }
    const inserted = await deps.db.raw(
      `INSERT INTO webhook_events (portal_id, type, invoice_id, payload, occurred_at)
       SELECT i.portal_id, 'invoice.overdue', i.id, jsonb_build_object(
                'id', i.id, 'number', i.number, 'status', i.status, 'previousStatus', i.status,
                'currency', i.currency, 'total', i.total, 'amountPaid', i.amount_paid,
                'balanceDue', i.total - i.amount_paid,
                'invoiceDate', to_char(i.invoice_date, 'YYYY-MM-DD'), 'dueDate', to_char(i.due_date, 'YYYY-MM-DD'),
                'daysPastDue', CAST(:today AS date) - i.due_date),
              :now
         FROM invoices i JOIN portal_settings s ON s.portal_id = i.portal_id
        WHERE s.time_zone = :zone AND i.status = 'open' AND i.due_date < CAST(:today AS date)
          AND NOT EXISTS (SELECT 1 FROM webhook_events e
                           WHERE e.portal_id = i.portal_id AND e.invoice_id = i.id AND e.type = 'invoice.overdue')
       ON CONFLICT (portal_id, invoice_id) WHERE type = 'invoice.overdue' DO NOTHING
       RETURNING id`,
      { zone, today, now: now.toISOString() },
    );
    emitted += (inserted.rows as unknown[]).length;
  }
  return emitted;
}
