import type { Knex } from 'knex';

/**
 * The stored position of a HubSpot webhooks journal (see migration
 * 20261202000060_create_hubspot_journal_offsets): null before the first entry was applied.
 */
export async function readJournalOffset(db: Knex, journal: string): Promise<string | null> {
  const row = (await db('hubspot_journal_offsets').where({ journal }).first('last_offset')) as { last_offset: string } | undefined;
  return row?.last_offset ?? null;
}

/**
 * Moves the journal's position to `offset`, but only from `expected` (the offset the poll
 * started from): a concurrent poller that already moved it makes this return false, and the
 * caller rolls back instead of applying the same entry twice.
 */
export async function advanceJournalOffset(trx: Knex.Transaction, journal: string, expected: string | null, offset: string, now: Date): Promise<boolean> {
  if (expected === null) {
    const rows = await trx('hubspot_journal_offsets')
      .insert({ journal, last_offset: offset, updated_at: now })
      .onConflict('journal')
      .ignore()
      .returning('journal');
    return rows.length > 0;
  }
  const n = await trx('hubspot_journal_offsets').where({ journal, last_offset: expected }).update({ last_offset: offset, updated_at: now });
  return n > 0;
}
