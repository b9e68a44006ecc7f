/**
 * Managing a portal's webhook endpoints: register (URL checked, secret generated and sealed),
 * list, delete, and read an endpoint's delivery log.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { listDeliveries } from '../db/webhook-deliveries-repo.js';
import { type DeliveryWithAttempts } from '../domain/webhooks.js';
import {
  countWebhookEndpoints,
  deleteWebhookEndpoint,
  findWebhookEndpoint,
  insertWebhookEndpoint,
  listWebhookEndpoints,
} from '../db/webhook-endpoints-repo.js';
import { type WebhookEndpoint } from '../domain/webhooks.js';
import { invalidField } from '../domain/errors.js';
import { isTimestampText } from '../domain/dates.js';
import { WEBHOOK_EVENT_TYPES, webhookUrlProblem, type WebhookEventType } from '../domain/webhooks.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound, ruleBroken } from './errors.js';
import { configuredSecretBox, type SecretBox } from './secret-box.js';
import { nothingToPrepare, runCommand, type CommandRun } from './unit-of-work.js';

/** Endpoints one portal may have: each event is sent to every one of them. */
export const MAX_WEBHOOK_ENDPOINTS = 16;

// Portal and endpoint are the sealed secret's associated data: a copied row does not open elsewhere.
export const secretContext = (portalId: number, endpointId: string) => `webhook_endpoint:${portalId}:${endpointId}:secret`;

/** Opens an endpoint's signing secret. */
export function openEndpointSecret(box: SecretBox, portalId: number, endpointId: string, sealed: string): string {
  return box.open(sealed, secretContext(portalId, endpointId));
}

export interface NewWebhookEndpoint {
  url: string;
  /** Default: every event type. */
  events?: WebhookEventType[] | undefined;
}

/**
 * Registers an endpoint. The URL is refused (400 naming `url`) unless it is https, or plain http
 * to a loopback host while `WEBHOOK_ALLOW_LOOPBACK` is on; see `webhookUrlProblem`. The secret
 * (`whsec_` + 32 random bytes) is returned here once and stored sealed.
 */
export async function createWebhookEndpoint(
  deps: Pick<Deps, 'db' | 'clock' | 'config'> & Partial<Pick<Deps, 'logger'>>,
  actor: Actor,
  input: NewWebhookEndpoint,
  run: CommandRun<CreatedEndpoint> = {},
): Promise<CreatedEndpoint> {
  return runCommand(deps, run, nothingToPrepare, async ({ trx }) => {
    const problem = webhookUrlProblem(input.url, { allowLoopback: deps.config.webhooks.allowLoopback });
    if (problem) throw invalidField('url', problem);
    const events = input.events ?? [...WEBHOOK_EVENT_TYPES];
    if ((await countWebhookEndpoints(trx, actor.portalId)) >= MAX_WEBHOOK_ENDPOINTS) {
      throw ruleBroken('too_many_webhook_endpoints', `A portal can have at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints; delete one first`);
    }
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const box = configuredSecretBox(deps.config);
    const endpoint = await insertWebhookEndpoint(trx, {
      portalId: actor.portalId,
      id,
      url: input.url,
      events,
      secretSealed: box.seal(secret, secretContext(actor.portalId, id)),
      createdBy: actor.userId,
      now: deps.clock(),
    });
    return { endpoint, secret };
  });
}

/** A registered endpoint and its signing secret, which only this answer ever shows. */
export interface CreatedEndpoint {
  endpoint: WebhookEndpoint;
  secret: string;
}

/** The portal's endpoints. */
export async function listEndpoints(deps: Pick<Deps, 'db'>, actor: Actor): Promise<WebhookEndpoint[]> {
  return listWebhookEndpoints(deps.db, actor.portalId);
}

/** Deletes an endpoint; pending deliveries to it are dropped with it. Another portal's is "not found". */
export async function removeEndpoint(
  deps: Pick<Deps, 'db'> & Partial<Pick<Deps, 'logger'>>,
  actor: Actor,
  id: string,
  run: CommandRun<void> = {},
): Promise<void> {
  await runCommand(deps, run, nothingToPrepare, async ({ trx }) => {
    if (!(await deleteWebhookEndpoint(trx, actor.portalId, id))) throw notFound('Webhook endpoint');
  });
}

/** A page of an endpoint's deliveries (newest first) with their attempt logs. */
export async function listEndpointDeliveries(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  id: string,
  page: { limit: number; cursor: string | undefined },
): Promise<{ data: DeliveryWithAttempts[]; nextCursor: string | null }> {
  if (!(await findWebhookEndpoint(deps.db, actor.portalId, id))) throw notFound('Webhook endpoint');
  const after = page.cursor === undefined ? null : decodeCursor(page.cursor);
  const rows = await listDeliveries(deps.db, actor.portalId, id, { limit: page.limit + 1, after });
  const data = rows.slice(0, page.limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > page.limit && last ? encodeCursor(last) : null };
}

function encodeCursor(d: DeliveryWithAttempts): string {
  return Buffer.from(JSON.stringify([d.createdAtText, d.eventId])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; eventId: string } {
  try {
    const [createdAt, eventId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof eventId === 'string' && /^[0-9a-f-]{36}$/.test(eventId) && isTimestampText(createdAt)) {
      return { createdAt, eventId };
    }
  } catch {
    // fall through
  }
  throw invalidField('cursor', 'is not a cursor this list returned');
}
