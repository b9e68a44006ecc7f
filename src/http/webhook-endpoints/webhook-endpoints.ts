import { Router } from 'express';
import type { Deps } from '../../app/deps.js';
import { AppError } from '../../app/errors.js';
import { createWebhookEndpoint, type CreatedEndpoint, listEndpointDeliveries, listEndpoints, removeEndpoint } from '../../app/webhook-endpoints.js';
import { requirePermission } from '../auth.js';
import { actorOf } from '../context.js';
import { respond } from '../idempotent.js';
import { presentDelivery, presentEndpoint } from './presenter.js';
import { createWebhookEndpointBody, listDeliveriesQuery } from './schema.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function endpointId(raw: unknown): string {
  const id = String(raw ?? '');
  if (!UUID.test(id)) throw new AppError('not_found', 'Webhook endpoint not found');
  return id.toLowerCase();
}

/** /api/v1/webhook-endpoints: a portal's outbound webhook endpoints and their delivery logs. */
export function webhookEndpointsRouter(deps: Deps): Router {
  const r = Router();
  const settings = requirePermission('settings');
  r.get('/', settings, async (_req, res) => {
    res.json({ data: (await listEndpoints(deps, actorOf(res))).map(presentEndpoint), nextCursor: null });
  });
  r.post('/', settings, async (req, res) => {
    const body = createWebhookEndpointBody.parse(req.body ?? {});
    await respond<CreatedEndpoint>(
      req,
      res,
      (run) => createWebhookEndpoint(deps, actorOf(res), body, run),
      // What an Idempotency-Key stores for replays: never the secret (a dump must not reveal it).
      (made) => ({ status: 201, body: { ...presentEndpoint(made.endpoint), secret: null } }),
      (made) => ({ status: 201, body: { ...presentEndpoint(made.endpoint), secret: made.secret } }),
    );
  });
  r.delete('/:id', settings, async (req, res) => {
    const id = endpointId(req.params.id);
    await respond(
      req,
      res,
      (run) => removeEndpoint(deps, actorOf(res), id, run),
      () => ({ status: 204, body: null }),
    );
  });
  r.get('/:id/deliveries', settings, async (req, res) => {
    const query = listDeliveriesQuery.parse(req.query);
    const page = await listEndpointDeliveries(deps, actorOf(res), endpointId(req.params.id), { limit: query.limit, cursor: query.cursor });
    res.json({ data: page.data.map(presentDelivery), nextCursor: page.nextCursor });
  });
  return r;
}
