import type { Db } from './invoices-repo.js';

/** The time zones of portals that have at least one open invoice (the overdue scan's work list). */
export async function timeZonesWithOpenInvoices(db: Db): Promise<string[]> {
  const zones = (
    await db.raw(
      `SELECT DISTINCT s.time_zone FROM portal_settings s
      WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.portal_id = s.portal_id AND i.status = 'open')`,
    )
  ).rows as Array<{ time_zone: string }>;
  return zones.map((z) => z.time_zone);
}

/**
 * Writes one `invoice.overdue` webhook event for every open invoice of the portals in `zone`
 * whose due date is before `today` (a date in that zone), unless it has one already (a unique
 * index keeps it to one ever). Returns how many were written.
 */
export async function insertOverdueEvents(db: Db, at: { zone: string; today: string; now: Date }): Promise<number> {
  const inserted = await db.raw(
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
    { zone: at.zone, today: at.today, now: at.now.toISOString() },
  );
  return (inserted.rows as unknown[]).length;
}
