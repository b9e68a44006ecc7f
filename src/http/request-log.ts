import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** Gives each request an id (echoed as X-Request-Id) and a child logger, and logs its outcome. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const reqId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    const started = process.hrtime.bigint();
    req.log = logger.child({ reqId });
    res.set('X-Request-Id', reqId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The path only: query strings may carry tokens or personal data.
      req.log?.info({ method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
