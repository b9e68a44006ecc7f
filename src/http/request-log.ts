import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { runWithRequestId } from '../observability/logger.js';
import { httpDuration } from '../observability/metrics.js';

/**
 * Gives each request an id (echoed as X-Request-Id) that every log line written while handling
 * it carries, logs its outcome, and observes its latency by route pattern.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const reqId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    const started = process.hrtime.bigint();
    const route = watchRoutePattern(req);
    req.log = logger.child({ reqId });
    res.set('X-Request-Id', reqId);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const pattern = route.pattern ?? 'unmatched';
      httpDuration.observe({ route: pattern, method: req.method, status: String(res.statusCode) }, seconds);
      // The route pattern, not the path: paths carry hosted-page tokens (capabilities) and ids.
      req.log?.info({ method: req.method, route: pattern, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 }, 'request');
    });
    runWithRequestId(reqId, next);
  };
}

/**
 * Remembers the full pattern (`/api/v1/invoices/:id`) of the route that matched. Express sets
 * `req.route` when a route matches, while `req.baseUrl` is still that of the route's router; by
 * the time the response finishes after an error, the router has already restored `baseUrl`, so
 * the pattern is taken at the moment of the assignment.
 */
function watchRoutePattern(req: Request): { pattern?: string } {
  const seen: { pattern?: string } = {};
  let current: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (route: { path?: unknown } | undefined) => {
      current = route;
      if (typeof route?.path === 'string') seen.pattern = `${req.baseUrl}${route.path === '/' && req.baseUrl ? '' : route.path}`;
    },
  });
  return seen;
}
