import { clearSourceChanged } from '../db/crm-changes-repo.js';
import { appendEvent } from '../db/events-repo.js';
import { findInvoice, updateDraft } from '../db/invoices-repo.js';
import { findSettings } from '../db/portals-repo.js';
import { totalsOf, type DraftContent, type Invoice } from '../domain/invoice.js';
import { assertDraft } from '../domain/lifecycle.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { resolveDraft, type DraftInput } from './draft-content.js';
import { notFound, versionConflict } from './errors.js';

/**
 * Edits a draft. `version` must be the one the client read (optimistic concurrency); fields left
 * out keep their value, `lineItems` and `adjustments` are replaced as a whole when given.
 * `sourceReadAt` marks the edit as a resync whose source was read at that instant: it clears the
 * draft's "source changed" mark, unless HubSpot reported a change after that read.
 */
export async function updateInvoice(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: Actor,
  id: string,
  version: number,
  input: DraftInput,
  opts: { sourceReadAt?: Date } = {},
): Promise<Invoice> {
  return deps.db.transaction(async (trx) => {
    const current = await findInvoice(trx, actor.portalId, id, { forUpdate: true });
    if (!current) throw notFound('Invoice');
    assertDraft(current.status);
    if (current.version !== version) throw versionConflict(current.version);
    const settings = (await findSettings(trx, actor.portalId))!;
    const content = resolveDraft(input, settings, deps.clock(), current);
    const totals = totalsOf(content);
    if (!(await updateDraft(trx, actor.portalId, id, version, content, totals))) throw versionConflict(current.version);
    if (opts.sourceReadAt) await clearSourceChanged(trx, actor.portalId, id, opts.sourceReadAt);
    await appendEvent(trx, actor, id, 'invoice.updated', { changes: diff(current, content), ...(opts.sourceReadAt ? { resync: true } : {}) });
    return (await findInvoice(trx, actor.portalId, id))!;
  });
}

/** Field-level diff for the audit log: which top-level fields changed, with before and after. */
function diff(before: DraftContent, after: DraftContent): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as Array<keyof DraftContent>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
}
