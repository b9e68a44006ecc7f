import { clearSourceChanged } from '../db/crm-changes-repo.js';
import { appendEvent } from '../db/events-repo.js';
import { findInvoice, updateDraft } from '../db/invoices-repo.js';
import { totalsOf, type DraftContent } from '../domain/invoice.js';
import { assertDraft } from '../domain/lifecycle.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { resolveDraft, type DraftInput } from './draft-content.js';
import { notFound, versionConflict } from './errors.js';
import { settingsOf, withToday, type InvoiceToday } from './invoice-today.js';
import { nothingToPrepare, runCommand, type CommandRun, type UnitOfWork } from './unit-of-work.js';

/**
 * Edits a draft. `version` must be the one the client read (optimistic concurrency); fields left
 * out keep their value, `lineItems` and `adjustments` are replaced as a whole when given.
 * `sourceReadAt` marks the edit as a resync whose source was read at that instant: it clears the
 * draft's "source changed" mark, unless HubSpot reported a change after that read.
 */
export async function updateInvoice(
  deps: Pick<Deps, 'db' | 'clock'> & Partial<Pick<Deps, 'logger'>>,
  actor: Actor,
  id: string,
  version: number,
  input: DraftInput,
  opts: { sourceReadAt?: Date } & CommandRun<InvoiceToday> = {},
): Promise<InvoiceToday> {
  return runCommand(deps, opts, nothingToPrepare, (uow) => writeDraftEdit(uow, deps, actor, id, version, input, opts.sourceReadAt));
}

/** The commit step of an edit or a resync (see {@link updateInvoice}). */
export async function writeDraftEdit(
  uow: UnitOfWork,
  deps: Pick<Deps, 'clock'>,
  actor: Actor,
  id: string,
  version: number,
  input: DraftInput,
  sourceReadAt: Date | undefined,
): Promise<InvoiceToday> {
  const trx = uow.trx;
  const current = await findInvoice(trx, actor.portalId, id, { forUpdate: true });
  if (!current) throw notFound('Invoice');
  assertDraft(current.status);
  if (current.version !== version) throw versionConflict(current.version);
  const settings = await settingsOf(trx, actor.portalId);
  const now = deps.clock();
  const content = resolveDraft(input, settings, now, current);
  const totals = totalsOf(content);
  if (!(await updateDraft(trx, actor.portalId, id, version, content, totals))) throw versionConflict(current.version);
  if (sourceReadAt) await clearSourceChanged(trx, actor.portalId, id, sourceReadAt);
  await appendEvent(trx, actor, id, 'invoice.updated', { changes: diff(current, content), ...(sourceReadAt ? { resync: true } : {}) });
  return withToday((await findInvoice(trx, actor.portalId, id))!, settings, now);
}

/** Field-level diff for the audit log: which top-level fields changed, with before and after. */
function diff(before: DraftContent, after: DraftContent): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as Array<keyof DraftContent>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
}
