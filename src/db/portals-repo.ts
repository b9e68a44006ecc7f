import { completeMappings } from '../domain/exports/mappings.js';
import type { PortalSettings } from '../domain/settings.js';
import type { Db } from './invoices-repo.js';
import { verifiedDomainNames } from './portal-domains-repo.js';

interface SettingsRow {
  portal_id: number;
  number_prefix: string;
  next_number: number;
  time_zone: string;
  default_currency: string;
  default_payment_terms: PortalSettings['defaultPaymentTerms'];
  default_payment_methods: PortalSettings['defaultPaymentMethods'];
  allow_partial_payments: boolean;
  brand: PortalSettings['brand'];
  default_domain: string | null;
  accounting_mappings: unknown;
  version: number;
  updated_at: Date;
}

/** Creates the portal and its default settings if they do not exist yet (safe to race). */
export async function ensurePortal(db: Db, portalId: number, timeZone: string): Promise<void> {
  await db('portals').insert({ id: portalId }).onConflict('id').ignore();
  await db('portal_settings').insert({ portal_id: portalId, time_zone: timeZone }).onConflict('portal_id').ignore();
}

/**
 * Reads a portal's settings; `forUpdate` locks the row (and with it the number counter).
 * `domains` are the portal's VERIFIED domains (table portal_domains), never pending ones.
 */
export async function findSettings(db: Db, portalId: number, opts: { forUpdate?: boolean } = {}): Promise<PortalSettings | null> {
  const query = db<SettingsRow>('portal_settings').where({ portal_id: portalId }).first();
  if (opts.forUpdate) query.forUpdate();
  const row = (await query) as SettingsRow | undefined;
  return row ? toSettings(row, await verifiedDomainNames(db, portalId)) : null;
}

/**
 * Writes the given settings fields and bumps the version; returns the new settings. `domains` is
 * not written: it is derived from the verified rows of portal_domains.
 */
export async function writeSettings(
  db: Db,
  portalId: number,
  s: Omit<PortalSettings, 'portalId' | 'version' | 'updatedAt' | 'domains'>,
): Promise<PortalSettings> {
  const [row] = await db('portal_settings')
    .where({ portal_id: portalId })
    .update({
      number_prefix: s.numberPrefix,
      next_number: s.nextNumber,
      time_zone: s.timeZone,
      default_currency: s.defaultCurrency,
      default_payment_terms: s.defaultPaymentTerms,
      default_payment_methods: JSON.stringify(s.defaultPaymentMethods),
      allow_partial_payments: s.allowPartialPayments,
      brand: JSON.stringify(s.brand),
      default_domain: s.defaultDomain,
      accounting_mappings: JSON.stringify(s.accountingMappings),
      version: db.raw('version + 1'),
      updated_at: db.fn.now(),
    })
    .returning('*');
  return toSettings(row as SettingsRow, await verifiedDomainNames(db, portalId));
}

/** Highest number already issued with `prefix` in the portal, or null. */
export async function highestIssued(db: Db, portalId: number, prefix: string): Promise<number | null> {
  const row = (await db('invoices').where({ portal_id: portalId, number_prefix: prefix }).whereNotNull('number').max({ highest: 'number_seq' }).first()) as
    { highest: number | null } | undefined;
  return row?.highest ?? null;
}

function toSettings(r: SettingsRow, domains: string[]): PortalSettings {
  return {
    portalId: r.portal_id,
    numberPrefix: r.number_prefix,
    nextNumber: r.next_number,
    timeZone: r.time_zone,
    defaultCurrency: r.default_currency,
    defaultPaymentTerms: r.default_payment_terms,
    defaultPaymentMethods: r.default_payment_methods,
    allowPartialPayments: r.allow_partial_payments,
    brand: r.brand,
    domains,
    defaultDomain: r.default_domain,
    // Rows from before the setting existed hold {}: completed with the defaults.
    accountingMappings: completeMappings(r.accounting_mappings),
    version: r.version,
    updatedAt: r.updated_at,
  };
}
