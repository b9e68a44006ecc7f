import { randomBytes } from 'node:crypto';
import { appendEvent } from '../db/events-repo.js';
import { findInvoice, insertDraft } from '../db/invoices-repo.js';
import { findSettings } from '../db/portals-repo.js';
import { totalsOf, type Invoice } from '../domain/invoice.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { resolveDraft, type DraftInput } from './draft-content.js';
import { notFound } from './errors.js';

/** Creates a draft invoice from a full draft body, filling gaps from the portal's defaults. */
export async function createInvoice(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, input: DraftInput): Promise<Invoice> {
  return deps.db.transaction(async (trx) => {
    const settings = await findSettings(trx, actor.portalId);
    if (!settings) throw notFound('Portal');
    const now = deps.clock();
    const content = resolveDraft(input, settings, now);
    const totals = totalsOf(content);
    // 192 random bits: the hosted page URL is the buyer's only credential.
    const publicToken = randomBytes(24).toString('base64url');
    const id = await insertDraft(trx, actor.portalId, content, totals, { publicToken, createdBy: actor.userId, now });
    await appendEvent(trx, actor, id, 'invoice.created', { total: totals.total, currency: content.currency });
    return (await findInvoice(trx, actor.portalId, id))!;
  });
}
