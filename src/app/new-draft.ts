import { randomBytes } from 'node:crypto';
import { appendEvent } from '../db/events-repo.js';
import { findInvoice, insertDraft } from '../db/invoices-repo.js';
import { totalsOf } from '../domain/invoice.js';
import type { PortalSettings } from '../domain/settings.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { resolveDraft, type DraftInput } from './draft-content.js';
import { withToday, type InvoiceToday } from './invoice-today.js';
import type { UnitOfWork } from './unit-of-work.js';

/**
 * The commit step of every create: resolves the draft against `settings`, inserts it with its
 * audit entry, and returns it as stored.
 */
export async function insertNewDraft(
  uow: UnitOfWork,
  deps: Pick<Deps, 'clock'>,
  actor: Actor,
  input: DraftInput,
  settings: PortalSettings,
): Promise<InvoiceToday> {
  const now = deps.clock();
  const content = resolveDraft(input, settings, now);
  const totals = totalsOf(content);
  // 192 random bits: the hosted page URL is the buyer's only credential.
  const publicToken = randomBytes(24).toString('base64url');
  const id = await insertDraft(uow.trx, actor.portalId, content, totals, { publicToken, createdBy: actor.userId, now });
  await appendEvent(uow.trx, actor, id, 'invoice.created', { total: totals.total, currency: content.currency });
  return withToday((await findInvoice(uow.trx, actor.portalId, id))!, settings, now);
}
