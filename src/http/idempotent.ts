import type { Request, Response } from 'express';
import { AppError } from '../app/errors.js';
import { requestHash } from '../app/request-hash.js';
import { IdempotentReplay, type CommandRun, type StoredResponse } from '../app/unit-of-work.js';
import { actorOf } from './context.js';

/**
 * Runs one state-changing use case and sends its response, honouring `Idempotency-Key` and, for
 * HubSpot-signed requests, the signature (a replay of the same signed request replays the answer).
 * `command` is the route's one use case call, given how to run (the key's scope, if any);
 * `present` turns its result into the response, which a key stores for replays. `live`, when
 * given, is what this first answer sends instead (a secret shown once, never stored). `bodyKey`
 * is a key the body carries (`requestId`, for callers that cannot set headers); the header wins.
 */
export async function respond<R>(
  req: Request,
  res: Response,
  command: (run: CommandRun<R>) => Promise<R>,
  present: (result: R) => StoredResponse,
  live: (result: R) => StoredResponse = present,
  bodyKey?: string,
): Promise<void> {
  const key = req.get('idempotency-key') ?? bodyKey;
  if (key !== undefined && !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 1-255 visible ASCII characters', [
      { path: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' },
    ]);
  }
  // A verified HubSpot-signed request is keyed by its signature (set by `authenticate`): cards
  // cannot send an Idempotency-Key, and the same signed request seen again must not run twice.
  const signed = res.locals.signedRequestKey as string | undefined;
  if (key === undefined && signed === undefined) {
    send(res, live(await command({})));
    return;
  }
  const actor = actorOf(res);
  // The sender's key: another user (or kind of caller) of the portal with the same key and body
  // must run their own request, not receive this one's stored response.
  const scopeOf = (k: string) => ({
    portalId: actor.portalId,
    actorKind: actor.kind,
    userId: actor.userId,
    key: k,
    hash: requestHash(req.method, req.originalUrl.split('?')[0]!, req.body),
  });
  // The signature's key comes first: the Idempotency-Key header is not signed, so a replay that
  // changes it still meets the signature's key.
  const [first, ...also] = [signed, key].filter((k): k is string => k !== undefined).map(scopeOf);
  let result: R;
  try {
    result = await command({ idempotency: { ...first!, also, response: present } });
  } catch (err) {
    if (!(err instanceof IdempotentReplay)) throw err;
    res.set('Idempotent-Replayed', 'true');
    send(res, err.response);
    return;
  }
  send(res, live(result));
}

function send(res: Response, response: StoredResponse): void {
  if (response.body === undefined || response.body === null) res.status(response.status).end();
  else res.status(response.status).json(response.body);
}
