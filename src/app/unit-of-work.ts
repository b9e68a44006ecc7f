/**
 * The unit of work: how every state-changing use case talks to the database.
 *
 * A command has two phases. `prepare` does the remote reads (HubSpot) with no transaction open,
 * so a slow vendor never holds a row lock. `commit` runs in exactly one database transaction,
 * which, under an Idempotency-Key, also claims the key and stores the response that later
 * retries replay. Work that must follow a real commit (PDF fingerprint, job-queue nudges,
 * metrics) is queued with `uow.afterCommit` and runs once the transaction has committed; it never
 * runs after a rollback. A use case sees one transaction and never a savepoint it did not ask for.
 */
import type { Knex } from 'knex';
import { claimKey, findKey, storeResponse, type IdempotencyScope } from '../db/idempotency-repo.js';
import type { Deps } from './deps.js';
import { AppError } from './errors.js';

export type { IdempotencyScope } from '../db/idempotency-repo.js';

/** A response as it was (or will be) sent, stored for replays. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

/** What the commit phase gets: its transaction, and a queue for work that needs the commit first. */
export interface UnitOfWork {
  /** The command's one transaction; pass it to the repositories. */
  trx: Knex.Transaction;
  /**
   * Queues `fn` to run after the commit, in queue order, before the command returns. Nothing
   * queued runs when the transaction rolls back. A hook that throws is logged and skipped: the
   * command's changes are committed by then, so it still succeeds.
   */
  afterCommit(fn: () => void | Promise<void>): void;
}

/**
 * How the caller wants a command run. With `idempotency`, the command runs at most once per
 * (portal, actor kind, user, key): `response` turns the command's result into what a retry will replay, and it is
 * stored in the command's own transaction. `also` lists further keys of the same request claimed
 * and stored with it, in order (a signed card request's signature key, then its header key).
 */
export interface CommandRun<R> {
  idempotency?: (IdempotencyScope & { response: (result: R) => StoredResponse; also?: IdempotencyScope[] }) | undefined;
}

/**
 * Thrown by {@link runCommand} when the key was used before by the same request: the command did
 * not run, and `response` is what the first run answered. The HTTP layer sends it as is.
 */
export class IdempotentReplay extends Error {
  constructor(readonly response: StoredResponse) {
    super('idempotent replay');
    this.name = 'IdempotentReplay';
  }
}

/** For commands with nothing to read before their transaction. */
export const nothingToPrepare = async (): Promise<void> => undefined;

/**
 * Runs one command: `prepare()` outside any transaction, then `commit(uow, prepared)` in one
 * transaction, then the `afterCommit` hooks. Returns what `commit` returned.
 *
 * With `run.idempotency`, the key is claimed first in the same transaction: a concurrent duplicate
 * blocks on the key until the first commits, then replays its response (throws
 * {@link IdempotentReplay}); a key used with a different request is refused with 422
 * `idempotency_key_reused`; a key whose first request is still running and not visible yet gives
 * 409 `idempotency_key_in_use`. An error rolls everything back, the key included, so a corrected
 * retry runs again. Replays skip `commit` but not `prepare` (which only reads).
 *
 * When `deps.db` is itself a transaction (a caller that asked for one), the command runs in a
 * savepoint of it and the hooks run when the savepoint is released: that caller owns the commit.
 */
export async function runCommand<P, R>(
  deps: Pick<Deps, 'db'> & Partial<Pick<Deps, 'logger'>>,
  run: CommandRun<R>,
  prepare: () => Promise<P>,
  commit: (uow: UnitOfWork, prepared: P) => Promise<R>,
): Promise<R> {
  const prepared = await prepare();
  const hooks: Array<() => void | Promise<void>> = [];
  const idem = run.idempotency;
  const trx = await deps.db.transaction();
  let result: R;
  try {
    const keys = idem ? [idem, ...(idem.also ?? [])] : [];
    for (const key of keys) {
      if (await claimKey(trx, key)) continue;
      await trx.rollback();
      throw new IdempotentReplay(await replay(deps.db, key));
    }
    result = await commit({ trx, afterCommit: (fn) => hooks.push(fn) }, prepared);
    if (idem) {
      const response = idem.response(result);
      for (const key of keys) await storeResponse(trx, key, response);
    }
    await trx.commit();
  } catch (err) {
    if (!trx.isCompleted()) await trx.rollback().catch(() => undefined);
    throw err;
  }
  for (const hook of hooks) {
    try {
      await hook();
    } catch (err) {
      deps.logger?.warn({ err }, 'an after-commit step failed; the command itself committed');
    }
  }
  return result;
}

async function replay(db: Knex, scope: IdempotencyScope): Promise<StoredResponse> {
  const row = await findKey(db, scope);
  if (!row) throw new AppError('idempotency_key_in_use', 'A request with this Idempotency-Key is still in progress; retry shortly');
  if (row.requestHash !== scope.hash) {
    throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request', [
      { path: 'Idempotency-Key', message: 'already used for another request' },
    ]);
  }
  return { status: row.responseStatus, body: row.responseBody };
}
