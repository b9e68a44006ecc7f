import type { Knex } from 'knex';
import { transitionSteps } from './invoice-transitions.js';

/** What the finalize statement needs besides the draft's id. */
export interface NumberRequest {
  portalId: number;
  invoiceId: string;
  /** The frozen document; its `number` is filled in by the statement. */
  snapshot: object;
  actorType: string;
  actorId: string | null;
  now: Date;
  /** The counter's ceiling: a counter beyond it hands out nothing. */
  maxNumber: number;
}

/** The number a finalized invoice got, with its new version and completed snapshot. */
export interface TakenNumber {
  number: string;
  version: number;
  snapshot: unknown;
}

/**
 * Finalizes a locked draft in ONE statement: bumps the portal's counter (portal_settings), numbers
 * and opens the invoice, and runs the transition step (invoice-transitions.ts: `invoice.finalized`
 * in the audit log, the HubSpot mirror intent). The counter row lock that serializes a portal's finalizations is taken here,
 * so it is held for this statement plus the commit. The AFTER UPDATE trigger
 * `invoices_emit_webhook_events` writes the `invoice.finalized` outbox row in the same statement.
 * Returns null when nothing was numbered: with the draft locked by the caller, only a used-up
 * counter does that.
 */
export async function takeNextNumber(trx: Knex.Transaction, req: NumberRequest): Promise<TakenNumber | null> {
  const result = await trx.raw(
    `WITH counter AS (
       UPDATE portal_settings SET next_number = next_number + 1
        WHERE portal_id = :portalId AND next_number <= :maxNumber
       RETURNING number_prefix, next_number - 1 AS seq
     ), finalized AS (
       UPDATE invoices i
          SET status = 'open',
              number = c.number_prefix || '-' || c.seq,
              number_prefix = c.number_prefix,
              number_seq = c.seq,
              finalized_at = :now,
              updated_at = :now,
              version = i.version + 1,
              snapshot = jsonb_set(CAST(:snapshot AS jsonb), '{number}', to_jsonb(c.number_prefix || '-' || c.seq))
         FROM counter c
        WHERE i.portal_id = :portalId AND i.id = :id AND i.status = 'draft'
       RETURNING i.id, i.number, i.version, i.snapshot
     ), ${transitionSteps('finalized', "jsonb_build_object('number', f.number)")}
     SELECT number, version, snapshot FROM finalized`,
    {
      portalId: req.portalId,
      id: req.invoiceId,
      now: req.now.toISOString(),
      snapshot: JSON.stringify(req.snapshot),
      actorType: req.actorType,
      actorId: req.actorId,
      maxNumber: req.maxNumber,
      transitionEvent: 'invoice.finalized',
      transitionMirror: 'open',
    },
  );
  return (result.rows as TakenNumber[])[0] ?? null;
}
