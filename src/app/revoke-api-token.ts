import { revokeToken } from '../db/revoked-tokens-repo.js';
import type { Deps } from './deps.js';
import { nothingToPrepare, runCommand } from './unit-of-work.js';

/**
 * Revokes the API token `jti` of `portalId` (`npm run token -- --revoke <jti> --portal <id>`):
 * every request with it is refused from the next one on. True when it was not revoked before.
 */
export async function revokeApiToken(deps: Pick<Deps, 'db' | 'clock'>, portalId: number, jti: string): Promise<boolean> {
  return runCommand(deps, {}, nothingToPrepare, ({ trx }) => revokeToken(trx, portalId, jti, deps.clock()));
}
