import { Router, type ErrorRequestHandler } from 'express';
import type { Deps } from '../../app/deps.js';
import { onlinePaymentsAvailable } from '../../app/online-payments.js';
import { DomainError } from '../../domain/errors.js';
import { setPageHeaders } from './headers.js';
import { pageHandler, type PaymentsAvailable } from './page.js';
import { pdfHandler } from './pdf.js';
import { rateLimit } from './rate-limit.js';
import { renderNotFoundPage } from './template.js';

/** Options of {@link hostedRouter}; tests inject the online-payments check. */
export interface HostedRouterOptions {
  paymentsAvailable?: PaymentsAvailable;
}

/**
 * The buyer-facing routes under /i: the hosted invoice page and its PDF. Public (the token is the
 * credential), rate limited per client IP, HTML errors instead of the API's JSON. Mounted before
 * the API's authentication. The limiter also covers the other /i routes mounted after this one.
 */
export function hostedRouter(deps: Deps, opts: HostedRouterOptions = {}): Router {
  const paymentsAvailable = opts.paymentsAvailable ?? ((portalId: number) => onlinePaymentsAvailable(deps, portalId));
  const router = Router();
  router.use(rateLimit({ perMinute: deps.config.hostedRateLimitPerMinute }));
  router.get('/:token', pageHandler(deps, paymentsAvailable));
  router.get('/:token/invoice.pdf', pdfHandler(deps));
  const notFoundPage: ErrorRequestHandler = (err, _req, res, next) => {
    if (!(err instanceof DomainError) || err.code !== 'not_found') return next(err);
    setPageHeaders(res);
    res.status(404).send(renderNotFoundPage());
  };
  router.use(notFoundPage);
  return router;
}
