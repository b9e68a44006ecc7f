import { listEvents } from '../db/events-repo.js';
import { findInvoice } from '../db/invoices-repo.js';
import { invalidField } from '../domain/errors.js';
import type { InvoiceEvent } from '../domain/invoice-event.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound } from './errors.js';

/** Most entries one page of the log may hold. */
export const MAX_EVENTS_PAGE = 200;

/**
 * A page of the audit log of one of the portal's invoices (404 for another portal's), oldest
 * first; `nextCursor` (opaque to clients) is null on the last page.
 */
export async function listInvoiceEvents(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  id: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ data: InvoiceEvent[]; nextCursor: string | null }> {
  // A forged cursor is a 400 before anything is read (also for an unknown invoice).
  const after = page.cursor === undefined ? null : decodeCursor(page.cursor);
  if (!(await findInvoice(deps.db, actor.portalId, id))) throw notFound('Invoice');
  const rows = await listEvents(deps.db, actor.portalId, id, page.limit + 1, after);
  const data = rows.slice(0, page.limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > page.limit && last ? encodeCursor(Number(last.id)) : null };
}

const VERSION = 'e1';

function encodeCursor(afterId: number): string {
  return Buffer.from(JSON.stringify([VERSION, afterId])).toString('base64url');
}

/** The event id a cursor continues after; anything this list did not hand out is a 400 naming `cursor`. */
function decodeCursor(cursor: string): number {
  if (/^[A-Za-z0-9_-]{1,100}$/.test(cursor)) {
    try {
      const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
      if (
        Array.isArray(parsed) &&
        parsed.length === 2 &&
        parsed[0] === VERSION &&
        typeof parsed[1] === 'number' &&
        Number.isSafeInteger(parsed[1]) &&
        parsed[1] > 0 &&
        encodeCursor(parsed[1]) === cursor
      ) {
        return parsed[1];
      }
    } catch {
      // fall through
    }
  }
  throw invalidField('cursor', 'is not a cursor returned by this list');
}
