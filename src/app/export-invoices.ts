import { exportPages, type ExportFilter } from '../db/export-query.js';
import { csvRecords, exportHeader, xeroRecords, type ExportFormat, type ExportOptions } from '../domain/exports/formats.js';
import type { Actor } from './actor.js';
import type { Deps } from './deps.js';

/** Statuses exported when the request names none: Xero imports drafts to be sent, so no voids. */
export const DEFAULT_STATUSES: Record<ExportFormat, ExportFilter['statuses']> = {
  'xero-csv': ['open', 'paid'],
  csv: ['open', 'paid', 'void'],
};

/**
 * The export file as a sequence of chunks (one per page of invoices), in a stable order and with
 * nothing time-dependent in it, so the same data always gives the same bytes. Every invoice is
 * re-added from the values written; one that does not reconcile throws `export_not_reconciled`.
 */
export async function* exportInvoices(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  format: ExportFormat,
  filter: ExportFilter,
  opts: ExportOptions,
): AsyncGenerator<string> {
  yield exportHeader(format);
  for await (const page of exportPages(deps.db, actor.portalId, filter)) {
    let chunk = '';
    for (const { invoice, payments } of page) chunk += format === 'xero-csv' ? xeroRecords(invoice, opts) : csvRecords(invoice, payments);
    yield chunk;
  }
}
