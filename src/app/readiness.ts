import { migrationsCurrent, pingDatabase } from '../db/connect.js';
import type { Deps } from './deps.js';

/**
 * Whether this process can serve requests: `ready`, or `migrations_pending` while the schema is
 * behind the code. Throws when the database does not answer (the probe reports it unreachable).
 */
export async function readiness(deps: Pick<Deps, 'db'>): Promise<'ready' | 'migrations_pending'> {
  await pingDatabase(deps.db);
  return (await migrationsCurrent(deps.db)) ? 'ready' : 'migrations_pending';
}
