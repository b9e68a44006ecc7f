import { isIsoDate, isTimestampText } from '../domain/dates.js';
import { invalidField } from '../domain/errors.js';
import type { InvoiceRow } from './invoice-rows.js';
import type { Db } from './invoices-repo.js';
import type { Sort } from '../domain/invoice-list.js';

const SORT_COLUMN: Record<Sort, { column: 'created_at' | 'due_date'; desc: boolean }> = {
  '-createdAt': { column: 'created_at', desc: true },
  createdAt: { column: 'created_at', desc: false },
  dueDate: { column: 'due_date', desc: false },
  '-dueDate': { column: 'due_date', desc: true },
};

/** Everything the list query filters on; dates are the portal's local dates. */
export interface ListQuery {
  view: 'all' | 'draft' | 'open' | 'overdue' | 'due_this_month' | 'paid' | 'void';
  status?: 'draft' | 'open' | 'paid' | 'void';
  currency?: string;
  dueFrom?: string;
  dueTo?: string;
  minBalance?: number;
  objectType?: string;
  objectId?: string;
  q?: string;
  sort: Sort;
  limit: number;
  cursor?: string;
  today: string;
  monthFirst: string;
  monthLast: string;
}

/**
 * One page of invoice rows by keyset pagination (stable under inserts, no OFFSET scans). The
 * cursor is opaque to clients: the sort value and id of the last row of the previous page.
 */
export async function queryInvoicePage(db: Db, portalId: number, q: ListQuery): Promise<{ rows: InvoiceRow[]; nextCursor: string | null }> {
  const { column, desc } = SORT_COLUMN[q.sort];
  const query = db<InvoiceRow>('invoices').where('portal_id', portalId);
  switch (q.view) {
    case 'all':
      break;
    case 'overdue':
      query.where('status', 'open').where('due_date', '<', q.today);
      break;
    case 'due_this_month':
      query.where('status', 'open').whereBetween('due_date', [q.monthFirst, q.monthLast]);
      break;
    default:
      query.where('status', q.view);
  }
  if (q.status) query.where('status', q.status);
  if (q.currency) query.where('currency', q.currency);
  if (q.dueFrom) query.where('due_date', '>=', q.dueFrom);
  if (q.dueTo) query.where('due_date', '<=', q.dueTo);
  // A void invoice owes nothing, whatever its total.
  if (q.minBalance !== undefined) query.whereNot('status', 'void').whereRaw('total - amount_paid >= ?', [q.minBalance]);
  if (q.objectType && q.objectId) {
    query.whereExists(
      db('invoice_associations')
        .select(db.raw('1'))
        .whereRaw('invoice_associations.portal_id = invoices.portal_id AND invoice_associations.invoice_id = invoices.id')
        .where({ object_type: q.objectType, object_id: q.objectId }),
    );
  }
  if (q.q) {
    const pattern = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query.where((w) =>
      w
        .where('number', 'ilike', pattern)
        .orWhereRaw(`bill_to->>'name' ILIKE ?`, [pattern])
        .orWhereRaw(`bill_to->>'email' ILIKE ?`, [pattern])
        .orWhereRaw(`bill_to->>'companyName' ILIKE ?`, [pattern]),
    );
  }
  if (q.cursor) {
    const [value, id] = decodeCursor(q.cursor, q.sort);
    query.whereRaw(`(${column}, id) ${desc ? '<' : '>'} (?, ?)`, [value, id]);
  }
  const dir = desc ? 'desc' : 'asc';
  const rows = (await query
    .orderBy([
      { column, order: dir },
      { column: 'id', order: dir },
    ])
    .limit(q.limit + 1)) as InvoiceRow[];
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor: more && last ? encodeCursor(q.sort, column === 'created_at' ? last.created_at.toISOString() : last.due_date, last.id) : null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function encodeCursor(sort: Sort, value: string, id: string): string {
  return Buffer.from(JSON.stringify([sort, value, id])).toString('base64url');
}

/** Decodes and checks a cursor, so a forged one is a 400 rather than a database error. */
function decodeCursor(cursor: string, sort: Sort): [string, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (Array.isArray(parsed) && parsed.length === 3 && parsed.every((p) => typeof p === 'string')) {
    const [cursorSort, value, id] = parsed as [string, string, string];
    const valueOk = SORT_COLUMN[sort].column === 'created_at' ? INSTANT.test(value) && isTimestampText(value) : isIsoDate(value);
    if (cursorSort !== sort) throw invalidField('cursor', `belongs to sort ${cursorSort}, not ${sort}`);
    if (valueOk && UUID.test(id)) return [value, id];
  }
  throw invalidField('cursor', 'is not a cursor returned by this list');
}
