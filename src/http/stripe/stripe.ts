import { Router } from 'express';
import { completeStripeConnect, startStripeConnect } from '../../app/connect-stripe.js';
import type { Deps } from '../../app/deps.js';
import { disconnectStripe } from '../../app/disconnect-stripe.js';
import { AppError } from '../../app/errors.js';
import { getStripeConnection } from '../../app/stripe-connection.js';
import { requirePermission } from '../auth.js';
import { respond } from '../idempotent.js';
import { actorOf } from '../context.js';
import { sendPage } from './pages.js';
import { presentStripeConnection } from './presenter.js';
import { stripeCallbackQuery } from './schema.js';

/** /api/v1/stripe: the portal's Stripe connection (settings permission). */
export function stripeApiRouter(deps: Deps): Router {
  const r = Router();
  r.post('/connect', requirePermission('settings'), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    await respond<string>(
      req,
      res,
      (run) => startStripeConnect(deps, actorOf(res), run),
      (url) => ({ status: 200, body: { url } }),
    );
  });
  r.get('/connection', requirePermission('settings'), async (_req, res) => {
    res.json(presentStripeConnection(await getStripeConnection(deps, actorOf(res))));
  });
  r.delete('/connection', requirePermission('settings'), async (_req, res) => {
    await disconnectStripe(deps, actorOf(res));
    res.status(204).end();
  });
  return r;
}

/**
 * /stripe/oauth: Stripe's redirect back after connecting (public, like /oauth/callback: the
 * signed single-use state names the portal). Answers with a small page either way.
 */
export function stripeOAuthRouter(deps: Deps): Router {
  const r = Router();
  r.get('/callback', async (req, res) => {
    const parsed = stripeCallbackQuery.safeParse(req.query);
    if (!parsed.success) {
      sendPage(res, 400, 'Stripe was not connected', ['The link is incomplete. Start again from the app settings in HubSpot.']);
      return;
    }
    const q = parsed.data;
    try {
      const done = await completeStripeConnect(
        deps,
        q.code
          ? { state: q.state, code: q.code }
          : { state: q.state, error: q.error!, ...(q.error_description ? { errorDescription: q.error_description } : {}) },
      );
      req.log?.info(
        { portalId: done.portalId, userId: done.userId, accountId: done.accountId, chargesEnabled: done.chargesEnabled },
        'stripe account connected',
      );
      sendPage(res, 200, 'Stripe is connected', [
        `Account ${done.accountId} is connected to your invoices.`,
        done.chargesEnabled
          ? 'Buyers can now pay your invoices online. You can close this tab.'
          : 'Stripe has not enabled payments on this account yet; finish the account setup in Stripe. You can close this tab.',
      ]);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      sendPage(res, err.code === 'upstream_error' ? 502 : 400, 'Stripe was not connected', [err.message]);
    }
  });
  return r;
}
