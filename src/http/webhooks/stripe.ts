import { Router } from 'express';
import type { Deps } from '../../app/deps.js';
import { handleStripeEvent, StripeEventNotReady } from '../../app/handle-stripe-event.js';
import { StripeSignatureError } from '../../app/ports/stripe.js';
import { errorBody } from '../errors.js';

/**
 * /webhooks/stripe: the platform's Connect webhook. The signature is checked over the raw body
 * (constructEvent); the event's `account` names the connected account and with it the portal.
 * 200 once applied (or already applied, or not ours); 409 when it must wait for an earlier
 * event, 500 when it failed: Stripe redelivers both, and nothing of it was kept.
 */
export function stripeWebhookRouter(deps: Deps): Router {
  const r = Router();
  r.post('/', async (req, res) => {
    if (!deps.stripe) {
      res.status(503).json(errorBody('stripe_unavailable', 'Online payments are not configured on this service'));
      return;
    }
    let event;
    try {
      event = deps.stripe.verifyEvent(req.rawBody ?? Buffer.alloc(0), req.get('stripe-signature'));
    } catch (err) {
      if (!(err instanceof StripeSignatureError)) throw err;
      req.log?.warn({ reason: err.message.slice(0, 200) }, 'stripe webhook signature rejected');
      res.status(400).json(errorBody('unauthenticated', 'The Stripe webhook signature is missing, invalid or expired'));
      return;
    }
    try {
      const outcome = await handleStripeEvent(deps, event);
      req.log?.info({ eventId: event.id, type: event.type, account: event.accountId, outcome }, 'stripe webhook event');
      res.status(200).json({ received: true, outcome });
    } catch (err) {
      if (err instanceof StripeEventNotReady) {
        req.log?.info({ eventId: event.id, type: event.type }, err.message);
        res.status(409).json(errorBody('stripe_event_not_ready', 'The event refers to a payment not recorded yet; Stripe will deliver it again'));
        return;
      }
      req.log?.error({ err, eventId: event.id, type: event.type }, 'stripe webhook event failed');
      res.status(500).json(errorBody('internal_error', 'The event could not be applied; Stripe will deliver it again'));
    }
  });
  return r;
}
