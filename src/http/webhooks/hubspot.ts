import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Deps } from '../../app/deps.js';
import { AppError } from '../../app/errors.js';
import { handleHubSpotEvent, type EventOutcome } from '../../app/handle-hubspot-event.js';
import { receivedEvent, type HubSpotWebhookEvent } from './hubspot-events.js';
import { errorBody } from '../errors.js';
import {
  checkRequestSignatureV3,
  checkWithAnySecret,
  signingSecrets,
  verifyHubSpotSignatureV1,
  verifyHubSpotSignatureV2,
  type SignatureFailure,
} from '../hubspot-signature.js';

/** HubSpot ids arrive as JSON numbers (strings tolerated); beyond 2^53 a number has already lost digits. */
const id = z.union([z.number().int().nonnegative(), z.string().regex(/^[0-9]{1,20}$/, 'must be digits')]).transform((v) => String(v));

/** Fields the events this service acts on must carry (others are acknowledged whatever they hold). */
const REQUIRED: Array<[RegExp, Array<keyof HubSpotWebhookEvent>]> = [
  [/^(deal|object)\.propertyChange$/, ['objectId', 'propertyName']],
  [/^(line_item|contact|object)\.(propertyChange|deletion)$|^contact\.privacyDeletion$/, ['objectId']],
  [/\.associationChange$/, ['fromObjectId', 'toObjectId']],
];

/**
 * One event of HubSpot's webhook batch. Unknown fields are dropped, not refused: HubSpot adds
 * fields over time, and an event must not be lost to that.
 */
const hubspotEvent = z
  .object({
    eventId: id,
    subscriptionId: id,
    portalId: z.number().int().positive(),
    occurredAt: z.number().int().nonnegative(),
    subscriptionType: z.string().min(1).max(100),
    objectId: id.optional(),
    objectTypeId: z.string().max(50).optional(),
    propertyName: z.string().max(500).optional(),
    fromObjectId: id.optional(),
    toObjectId: id.optional(),
    associationType: z.string().max(200).optional(),
    fromObjectTypeId: z.string().max(50).optional(),
    toObjectTypeId: z.string().max(50).optional(),
  })
  .superRefine((e, ctx) => {
    for (const [types, fields] of REQUIRED) {
      if (!types.test(e.subscriptionType)) continue;
      for (const field of fields) {
        if (e[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `is required for ${e.subscriptionType} events` });
      }
    }
  });

/** The body HubSpot posts: a JSON array of events (a batch). */
export const hubspotWebhookBody = z.array(hubspotEvent);

/**
 * /webhooks/hubspot: HubSpot's CRM events, authenticated by HubSpot's signature only. Answers 200
 * once every event is applied (or was already); 500 if one failed, so HubSpot redelivers the batch
 * and the events already applied are skipped as duplicates.
 */
export function hubspotWebhookRouter(deps: Deps): Router {
  const r = Router();
  r.post('/', async (req, res) => {
    const failure = signatureFailure(req, deps);
    if (failure) {
      // Never the signature or the secret: the reason and the version are enough to debug.
      req.log?.warn({ reason: failure.reason, version: failure.version }, 'hubspot webhook signature rejected');
      throw new AppError('unauthenticated', 'The HubSpot webhook signature is missing, invalid or expired');
    }
    const events = hubspotWebhookBody.parse(req.body);
    const counts: Record<EventOutcome, number> = { applied: 0, duplicate: 0, ignored: 0 };
    let failed = 0;
    for (const event of events) {
      const received = receivedEvent(event);
      try {
        const outcome = await handleHubSpotEvent(deps, received);
        counts[outcome] += 1;
        // Still acknowledged (HubSpot would only retry it), but visible: an event for a portal
        // without an install may be forged, and an unknown type may be one HubSpot added since.
        if (outcome === 'ignored') {
          const { objectTypeId, propertyName } = event;
          req.log?.info(
            { eventKey: received.key, type: received.type, portalId: received.portalId, objectTypeId, propertyName },
            'hubspot webhook event ignored',
          );
        }
      } catch (err) {
        failed += 1;
        req.log?.error({ err, eventKey: received.key, type: received.type }, 'hubspot webhook event failed');
      }
    }
    req.log?.info({ received: events.length, ...counts, failed }, 'hubspot webhook batch');
    if (failed > 0) {
      res.status(500).json(errorBody('internal_error', `${failed} of ${events.length} events could not be applied; HubSpot will deliver them again`));
      return;
    }
    res.status(200).json({ received: events.length, ...counts });
  });
  return r;
}

/**
 * v3 when the request carries it (and then only v3: a stale v3 request must not pass on its v1
 * signature), otherwise the version `X-HubSpot-Signature-Version` names. Null when valid.
 */
function signatureFailure(req: Request, deps: Deps): { reason: SignatureFailure; version: string } | null {
  const secrets = signingSecrets(deps.config.hubspot);
  const rawBody = req.rawBody ?? Buffer.alloc(0);
  if (req.get('x-hubspot-signature-v3') !== undefined) {
    const check = checkWithAnySecret(secrets, (clientSecret) =>
      checkRequestSignatureV3(req, { clientSecret, publicBaseUrl: deps.config.publicBaseUrl, now: deps.clock().getTime() }),
    );
    return check.ok ? null : { reason: check.reason, version: 'v3' };
  }
  const version = (req.get('x-hubspot-signature-version') ?? '').toLowerCase();
  const signature = req.get('x-hubspot-signature');
  if (!signature || (version !== 'v1' && version !== 'v2')) return { reason: 'missing_headers', version: version.slice(0, 10) || 'none' };
  const ok = secrets.some((clientSecret) =>
    version === 'v1'
      ? verifyHubSpotSignatureV1({ clientSecret, rawBody, signature })
      : verifyHubSpotSignatureV2({ clientSecret, method: req.method, uri: `${deps.config.publicBaseUrl}${req.originalUrl}`, rawBody, signature }),
  );
  return ok ? null : { reason: 'mismatch', version };
}
