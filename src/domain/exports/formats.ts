/**
 * The export formats: each writes a header, then one chunk per invoice (re-adding, from the
 * values it writes, the invoice's total: see common.ts), then a footer. One file per format.
 */
import type { Invoice } from '../invoice.js';
import { headerRecord } from './csv.js';
import type { ExportOptions, ExportPart, ExportPayment } from './common.js';
import { CSV_COLUMNS, csvRecords } from './everything-csv.js';
import { iifHeader, iifRecords } from './iif.js';
import { jsonRecords } from './json.js';
import { QBO_COLUMNS, qboRecords } from './qbo.js';
import { XERO_COLUMNS, xeroRecords } from './xero.js';

export { notReconciled, WHOLE, type ExportOptions, type ExportPart, type ExportPayment } from './common.js';
export { DATE_FORMATS, type DateFormat } from './date-formats.js';
export {
  BOM_FORMATS,
  DEFAULT_MAPPINGS,
  completeMappings,
  mapLine,
  mergeMappings,
  type AccountingMappings,
  type BomFormat,
  type ItemMapping,
} from './mappings.js';
export { CSV_COLUMNS, csvRecords } from './everything-csv.js';
export { IIF_ACCOUNTS, encodeIifCell, iifRecords } from './iif.js';
export { jsonInvoice, jsonRecords } from './json.js';
export { QBO_COLUMNS, qboRecords } from './qbo.js';
export { XERO_COLUMNS, xeroRecords } from './xero.js';

export const EXPORT_FORMATS = ['csv', 'xero-csv', 'qbo-csv', 'qbd-iif', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface FormatWriter {
  contentType: string;
  extension: string;
  /** Statuses exported when the request names none. */
  defaultStatuses: ReadonlyArray<'open' | 'paid' | 'void'>;
  /** Whether the file can tell an importer that an invoice it already has was voided. */
  voids: boolean;
  /** Whether the file carries payments (so new payments on exported invoices go in later batches). */
  payments: boolean;
  header(): string;
  /** The chunk of one invoice (or of its part); `first` is true for the file's first invoice. */
  records(inv: Invoice, payments: ExportPayment[], opts: ExportOptions, first: boolean, part: ExportPart): string;
  /** After the last invoice; `empty` when there was none. */
  footer(empty: boolean): string;
}

const CSV = 'text/csv; charset=utf-8';
const none = () => '';

export const FORMATS: Record<ExportFormat, FormatWriter> = {
  // Importers create what they read (Xero and QuickBooks Online as drafts/new invoices): no voids
  // by default, and their invoice imports can neither void an imported invoice nor carry payments.
  'xero-csv': {
    contentType: CSV,
    extension: 'csv',
    defaultStatuses: ['open', 'paid'],
    voids: false,
    payments: false,
    header: () => headerRecord(XERO_COLUMNS),
    records: (inv, _p, opts) => xeroRecords(inv, opts),
    footer: none,
  },
  'qbo-csv': {
    contentType: CSV,
    extension: 'csv',
    defaultStatuses: ['open', 'paid'],
    voids: false,
    payments: false,
    header: () => headerRecord(QBO_COLUMNS),
    records: (inv) => qboRecords(inv),
    footer: none,
  },
  'qbd-iif': {
    contentType: 'text/plain; charset=utf-8',
    extension: 'iif',
    defaultStatuses: ['open', 'paid'],
    voids: true,
    payments: true,
    header: iifHeader,
    records: (inv, p, opts, _f, part) => iifRecords(inv, p, opts, part),
    footer: none,
  },
  csv: {
    contentType: CSV,
    extension: 'csv',
    defaultStatuses: ['open', 'paid', 'void'],
    voids: true,
    payments: true,
    header: () => headerRecord(CSV_COLUMNS),
    records: (inv, p, _o, _f, part) => csvRecords(inv, p, part),
    footer: none,
  },
  // json re-writes a changed invoice whole: it is a snapshot keyed by id (and version), for upserts.
  json: {
    contentType: 'application/json; charset=utf-8',
    extension: 'json',
    defaultStatuses: ['open', 'paid', 'void'],
    voids: true,
    payments: true,
    header: () => '[',
    records: (inv, p, _o, first) => jsonRecords(inv, p, first),
    footer: (empty) => (empty ? ']\n' : '\n]\n'),
  },
};

/** The header record of a format. */
export function exportHeader(format: ExportFormat): string {
  return FORMATS[format].header();
}
