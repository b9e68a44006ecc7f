import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Actor } from '../domain/actor.js';
import { AppError } from '../app/errors.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Request-scoped logger carrying the request id. */
    log?: Logger;
    /** The unparsed body, kept for signature checks. */
    rawBody?: Buffer;
  }
}

/** The authenticated actor set by the auth middleware. */
export function actorOf(res: Response): Actor {
  const actor = res.locals.actor as Actor | undefined;
  if (!actor) throw new AppError('unauthenticated', 'Authentication required');
  return actor;
}

/** Path ids are UUIDs; anything else cannot exist, so it is a 404 rather than a database error. */
export function idParam(req: Request): string {
  const id = String(req.params.id ?? '');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new AppError('not_found', 'Invoice not found');
  }
  return id.toLowerCase();
}
