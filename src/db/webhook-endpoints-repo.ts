import type { WebhookEndpoint, WebhookEventType } from '../domain/webhooks.js';
import type { Db } from './invoices-repo.js';

interface Row {
  portal_id: number;
  id: string;
  url: string;
  events: WebhookEventType[];
  secret_sealed: string;
  created_by: string | null;
  created_at: Date;
}

const toEndpoint = (r: Row): WebhookEndpoint => ({
  portalId: r.portal_id,
  id: r.id,
  url: r.url,
  events: r.events,
  secretSealed: r.secret_sealed,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export async function insertWebhookEndpoint(db: Db, e: Omit<WebhookEndpoint, 'createdAt'> & { now: Date }): Promise<WebhookEndpoint> {
  const [row] = (await db('webhook_endpoints')
    .insert({
      portal_id: e.portalId,
      id: e.id,
      url: e.url,
      events: JSON.stringify(e.events),
      secret_sealed: e.secretSealed,
      created_by: e.createdBy,
      created_at: e.now,
    })
    .returning('*')) as Row[];
  return toEndpoint(row!);
}

/** The portal's endpoints, oldest first. */
export async function listWebhookEndpoints(db: Db, portalId: number): Promise<WebhookEndpoint[]> {
  const rows = (await db('webhook_endpoints')
    .where({ portal_id: portalId })
    .orderBy([{ column: 'created_at' }, { column: 'id' }])) as Row[];
  return rows.map(toEndpoint);
}

export async function countWebhookEndpoints(db: Db, portalId: number): Promise<number> {
  const [row] = (await db('webhook_endpoints').where({ portal_id: portalId }).count<{ n: string | number }[]>({ n: '*' })) as Array<{ n: string | number }>;
  return Number(row?.n ?? 0);
}

export async function findWebhookEndpoint(db: Db, portalId: number, id: string): Promise<WebhookEndpoint | null> {
  const row = (await db('webhook_endpoints').where({ portal_id: portalId, id }).first()) as Row | undefined;
  return row ? toEndpoint(row) : null;
}

/** Deletes the endpoint with its deliveries and their log; false when the portal has no such endpoint. */
export async function deleteWebhookEndpoint(db: Db, portalId: number, id: string): Promise<boolean> {
  // RETURNING rather than the affected-row count, which not every driver (PGlite) reports.
  const rows = (await db('webhook_endpoints').where({ portal_id: portalId, id }).delete().returning('id')) as unknown[];
  return rows.length > 0;
}
