import type { Knex } from 'knex';

/** Records that the token `jti` of `portalId` is revoked; revoking it again changes nothing. True when it was not revoked before. */
export async function revokeToken(trx: Knex.Transaction, portalId: number, jti: string, now: Date): Promise<boolean> {
  const rows = await trx('revoked_api_tokens').insert({ portal_id: portalId, jti, revoked_at: now }).onConflict(['portal_id', 'jti']).ignore().returning('jti');
  return rows.length > 0;
}

/** True when the token `jti` of `portalId` was revoked. */
export async function isTokenRevoked(db: Knex, portalId: number, jti: string): Promise<boolean> {
  return Boolean(await db('revoked_api_tokens').where({ portal_id: portalId, jti }).first('jti'));
}
