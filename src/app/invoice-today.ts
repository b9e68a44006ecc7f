import { findSettings } from '../db/portals-repo.js';
import type { Db } from '../db/invoices-repo.js';
import { todayIn } from '../domain/dates.js';
import type { Invoice } from '../domain/invoice.js';
import type { PortalSettings } from '../domain/settings.js';
import { notFound } from './errors.js';

/**
 * An invoice as the invoice use cases return it: with `today`, the portal's local date that
 * "past due" is measured against, so presenting it needs no further read.
 */
export type InvoiceToday = Invoice & { today: string };

/** The invoice with today's date in the portal's time zone. */
export function withToday(invoice: Invoice, settings: Pick<PortalSettings, 'timeZone'>, now: Date): InvoiceToday {
  return { ...invoice, today: todayIn(settings.timeZone, now) };
}

/** The portal's settings, or 404 `Portal not found` for a portal that was never set up. */
export async function settingsOf(db: Db, portalId: number): Promise<PortalSettings> {
  const settings = await findSettings(db, portalId);
  if (!settings) throw notFound('Portal');
  return settings;
}
