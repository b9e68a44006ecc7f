import type { Knex } from 'knex';

/**
 * Moves an open invoice to `void` with its reason, bumping its version. The trigger
 * `invoices_guard_finalized` allows only open -> void here, and `invoices_emit_webhook_events`
 * writes the `invoice.voided` outbound webhook event in the same statement.
 */
export async function markVoid(trx: Knex.Transaction, portalId: number, id: string, reason: string, now: Date): Promise<void> {
  await trx('invoices')
    .where({ portal_id: portalId, id })
    .update({ status: 'void', voided_at: now, void_reason: reason, version: trx.raw('version + 1'), updated_at: now });
}

/** Deletes a draft row. The trigger `invoices_guard_finalized` refuses any other status. */
export async function deleteDraftRow(trx: Knex.Transaction, portalId: number, id: string): Promise<void> {
  await trx('invoices').where({ portal_id: portalId, id }).delete();
}
