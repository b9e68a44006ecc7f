import { exportPages, type ExportFilter } from '../db/export-query.js';
import { FORMATS, type ExportFormat, type ExportOptions } from '../domain/exports/formats.js';
import type { Actor } from './actor.js';
import type { Deps } from './deps.js';

/** Statuses exported when the request names none (importers get no voids by default). */
export const DEFAULT_STATUSES = Object.fromEntries(
  Object.entries(FORMATS).map(([f, w]) => [f, w.defaultStatuses]),
) as Record<ExportFormat, ExportFilter['statuses']>;

/**
 * The export file as a sequence of chunks (header, one per page of invoices, footer), in a stable
 * order and with nothing time-dependent in it, so the same data always gives the same bytes.
 * Every invoice is re-added from the values written; one that does not reconcile throws
 * `export_not_reconciled`.
 */
export async function* exportInvoices(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  format: ExportFormat,
  filter: ExportFilter,
  opts: ExportOptions,
): AsyncGenerator<string> {
  const writer = FORMATS[format];
  yield writer.header();
  let first = true;
  for await (const page of exportPages(deps.db, actor.portalId, filter)) {
    let chunk = '';
    for (const { invoice, payments } of page) {
      chunk += writer.records(invoice, payments, opts, first);
      first = false;
    }
    yield chunk;
  }
  const footer = writer.footer(first);
  if (footer) yield footer;
}
