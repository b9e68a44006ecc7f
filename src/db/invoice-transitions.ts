/**
 * The one transition step: what every invoice state change (finalize, payment, credit, refund,
 * void) writes besides the invoice row, in the transaction that changes it:
 *
 * - the audit log entry (invoice_events);
 * - the HubSpot mirror intent (invoice_mirrors) when HubSpot's copy must change;
 * - the outbound webhook event (webhook_events): written by the database trigger
 *   `invoices_emit_webhook_events` from the invoice row's status and amount_paid change, in the
 *   same statement as that change, so it cannot be forgotten and a rollback leaves none.
 *
 * The use case queues the mirror job nudge after commit (`nudgeInvoiceMirror`).
 */
import type { Knex } from 'knex';
import type { MirrorStatus } from '../domain/crm.js';
import { UPSERT_INTENT_CONFLICT } from './invoice-mirrors-repo.js';

/** One invoice state change as the transition step records it. */
export interface InvoiceTransition {
  portalId: number;
  invoiceId: string;
  /** Who caused it, as the audit log names them (the actor's kind and user id). */
  actorType: string;
  actorId: string | null;
  /** The audit log entry: e.g. `invoice.voided`, with its data. */
  event: string;
  data?: Record<string, unknown>;
  /** What HubSpot's copy should show now; leave it out when nothing HubSpot shows changed. */
  mirror?: MirrorStatus | undefined;
  now: Date;
}

/** Records a state change: the audit entry and, when given, the mirror intent (see the module comment). */
export async function recordTransition(trx: Knex.Transaction, t: InvoiceTransition): Promise<void> {
  await trx('invoice_events').insert({
    portal_id: t.portalId,
    invoice_id: t.invoiceId,
    type: t.event,
    actor_type: t.actorType,
    actor_id: t.actorId,
    data: JSON.stringify(t.data ?? {}),
  });
  if (t.mirror) {
    await trx.raw(
      `INSERT INTO invoice_mirrors (portal_id, invoice_id, desired_status, next_attempt_at, updated_at)
       VALUES (:portalId, :invoiceId, :status, :now, :now)
       ${UPSERT_INTENT_CONFLICT}`,
      { portalId: t.portalId, invoiceId: t.invoiceId, status: t.mirror, now: t.now.toISOString() },
    );
  }
}

/**
 * The same transition writes as steps of a data-modifying CTE, for a statement that must do
 * everything at once (finalize holds the numbering lock for one statement). `changed` names an
 * earlier CTE that returns the changed invoice's `id` (and the columns `data` refers to as `f.*`);
 * `data` is a SQL expression for the audit data. Bindings used: :portalId, :actorType, :actorId,
 * :now, :transitionEvent, :transitionMirror.
 */
export function transitionSteps(changed: string, data: string): string {
  return `logged AS (
       INSERT INTO invoice_events (portal_id, invoice_id, type, actor_type, actor_id, data)
       SELECT :portalId, f.id, :transitionEvent, :actorType, :actorId, ${data}
         FROM ${changed} f
     ), mirrored AS (
       INSERT INTO invoice_mirrors (portal_id, invoice_id, desired_status, next_attempt_at, updated_at)
       SELECT :portalId, f.id, :transitionMirror, :now, :now
         FROM ${changed} f
       ${UPSERT_INTENT_CONFLICT}
     )`;
}
