import { Router } from 'express';
import type { Deps } from '../../app/deps.js';
import { AppError } from '../../app/errors.js';
import { requestHash, runIdempotently } from '../../app/run-idempotently.js';
import { createWebhookEndpoint, listEndpointDeliveries, listEndpoints, removeEndpoint } from '../../app/webhook-endpoints.js';
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
    const actor = actorOf(res);
    let secret: string | null = null;
    const work = async (db: Deps['db']) => {
      const made = await createWebhookEndpoint({ ...deps, db }, actor, body);
      secret = made.secret;
      // What an Idempotency-Key stores for replays: never the secret (a dump must not reveal it).
      return { status: 201, body: { ...presentEndpoint(made.endpoint), secret: null } };
    };
    const key = req.get('idempotency-key');
    if (key === undefined) {
      const made = await work(deps.db);
      res.status(201).json({ ...made.body, secret });
      return;
    }
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new AppError('validation_failed', 'Idempotency-Key must be 1-255 visible ASCII characters', [
        { path: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' },
      ]);
    }
    const result = await runIdempotently(deps.db, { portalId: actor.portalId, key, hash: requestHash(req.method, req.originalUrl.split('?')[0]!, req.body) }, work);
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    res.status(result.status).json(result.replayed ? result.body : { ...(result.body as object), secret });
  });
  r.delete('/:id', settings, async (req, res) => {
    const id = endpointId(req.params.id);
    await respond(req, res, deps, async (db) => {
      await removeEndpoint({ db }, actorOf(res), id);
      return { status: 204, body: null };
    });
  });
  r.get('/:id/deliveries', settings, async (req, res) => {
    const query = listDeliveriesQuery.parse(req.query);
    const page = await listEndpointDeliveries(deps, actorOf(res), endpointId(req.params.id), { limit: query.limit, cursor: query.cursor });
    res.json({ data: page.data.map(presentDelivery), nextCursor: page.nextCursor });
  });
  return r;
}
