import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import type { Deps } from '../app/deps.js';
import { AppError } from '../app/errors.js';
import { requestHash, runIdempotently, type StoredResponse } from '../app/run-idempotently.js';
import { actorOf } from './context.js';

/**
 * Runs a state change and sends its response, honouring `Idempotency-Key`: the work gets a
 * database handle to pass to its use case, inside the transaction that also stores the response.
 */
export async function respond(req: Request, res: Response, deps: Deps, work: (db: Knex) => Promise<StoredResponse>): Promise<void> {
  const key = req.get('idempotency-key');
  if (key === undefined) {
    send(res, await work(deps.db));
    return;
  }
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 1-255 visible ASCII characters', [
      { path: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' },
    ]);
  }
  const actor = actorOf(res);
  const result = await runIdempotently(
    deps.db,
    { portalId: actor.portalId, key, hash: requestHash(req.method, req.originalUrl.split('?')[0]!, req.body) },
    work,
  );
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  send(res, result);
}

function send(res: Response, response: StoredResponse): void {
  if (response.body === undefined || response.body === null) res.status(response.status).end();
  else res.status(response.status).json(response.body);
}
