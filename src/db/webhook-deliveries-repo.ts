import type { DeliveryWithAttempts, WebhookEventType } from '../domain/webhooks.js';
import type { Db } from './invoices-repo.js';

/** A due delivery taken by a worker, with what it needs to send it. */
export interface ClaimedDelivery {
  portalId: number;
  endpointId: string;
  eventId: string;
  /** Attempts made before this one. */
  attempts: number;
  url: string;
  secretSealed: string;
  eventType: WebhookEventType;
  payload: Record<string, unknown>;
  occurredAt: Date;
  invoiceDomain: string | null;
  invoicePublicToken: string;
}

/**
 * Takes up to `limit` due deliveries, oldest first, and leases them to `leaseId` until
 * `leaseUntil`. Due: pending, never attempted or past its next attempt, and not leased (or the
 * lease ran out: its worker died). `FOR UPDATE SKIP LOCKED` lets workers in several processes
 * claim at once without waiting on each other or taking the same row.
 */
export async function claimDueDeliveries(
  db: Db,
  opts: { now: Date; leaseUntil: Date; leaseId: string; limit: number; portalIds?: readonly number[] },
): Promise<ClaimedDelivery[]> {
  const result = await db.raw(
    `WITH due AS (
       SELECT portal_id, endpoint_id, event_id FROM webhook_deliveries
        WHERE state = 'pending'
          -- A delivery never attempted is due at once (its time is the database's, not the worker's clock).
          AND (attempts = 0 OR next_attempt_at <= :now)
          AND (locked_until IS NULL OR locked_until <= :now)
          AND (CAST(:portalIds AS bigint[]) IS NULL OR portal_id = ANY (CAST(:portalIds AS bigint[])))
        ORDER BY next_attempt_at, event_id
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
     )
     UPDATE webhook_deliveries d
        SET locked_until = :leaseUntil, lease_id = :leaseId
       FROM due, webhook_endpoints e, webhook_events ev, invoices i
      WHERE d.portal_id = due.portal_id AND d.endpoint_id = due.endpoint_id AND d.event_id = due.event_id
        AND e.portal_id = d.portal_id AND e.id = d.endpoint_id
        AND ev.portal_id = d.portal_id AND ev.id = d.event_id
        AND i.portal_id = ev.portal_id AND i.id = ev.invoice_id
     RETURNING d.portal_id, d.endpoint_id, d.event_id, d.attempts, e.url, e.secret_sealed,
               ev.type, ev.payload, ev.occurred_at, i.domain, i.public_token`,
    {
      now: opts.now.toISOString(),
      leaseUntil: opts.leaseUntil.toISOString(),
      leaseId: opts.leaseId,
      limit: opts.limit,
      // A PostgreSQL array literal: knex would spread a JS array into a list.
      portalIds: opts.portalIds ? `{${opts.portalIds.map((id) => Number(id)).join(',')}}` : null,
    },
  );
  return (result.rows as Array<Record<string, unknown>>).map((r) => ({
    portalId: r.portal_id as number,
    endpointId: r.endpoint_id as string,
    eventId: r.event_id as string,
    attempts: r.attempts as number,
    url: r.url as string,
    secretSealed: r.secret_sealed as string,
    eventType: r.type as WebhookEventType,
    payload: r.payload as Record<string, unknown>,
    occurredAt: new Date(r.occurred_at as string | Date),
    invoiceDomain: r.domain as string | null,
    invoicePublicToken: r.public_token as string,
  }));
}

/** The outcome of one attempt. */
export interface AttemptResult {
  attempt: number;
  attemptedAt: Date;
  durationMs: number;
  httpStatus: number | null;
  error: string | null;
  outcome: 'delivered' | 'retrying' | 'failed';
  /** When the next attempt is due (outcome `retrying`). */
  nextAttemptAt: Date | null;
}

/**
 * Logs the attempt and, if the worker still holds the lease, moves the delivery on (delivered,
 * retry later, or failed) and releases it. A worker whose lease was taken over (it was too slow)
 * only logs: the delivery belongs to the other worker now. Returns whether the lease was held.
 */
export async function recordAttempt(
  db: Db,
  key: { portalId: number; endpointId: string; eventId: string; leaseId: string },
  r: AttemptResult,
  now: Date,
): Promise<boolean> {
  const run = async (trx: Db) => {
    await trx('webhook_delivery_attempts').insert({
      portal_id: key.portalId,
      endpoint_id: key.endpointId,
      event_id: key.eventId,
      attempt: r.attempt,
      attempted_at: r.attemptedAt,
      duration_ms: Math.max(0, Math.round(r.durationMs)),
      http_status: r.httpStatus,
      error: r.error,
      outcome: r.outcome,
    });
    const rows = (await trx('webhook_deliveries')
      .where({ portal_id: key.portalId, endpoint_id: key.endpointId, event_id: key.eventId, lease_id: key.leaseId, state: 'pending' })
      .update({
        state: r.outcome === 'retrying' ? 'pending' : r.outcome,
        attempts: r.attempt,
        next_attempt_at: r.outcome === 'retrying' ? r.nextAttemptAt : null,
        locked_until: null,
        lease_id: null,
        last_status: r.httpStatus,
        last_error: r.error,
        delivered_at: r.outcome === 'delivered' ? r.attemptedAt : null,
        updated_at: now,
      })
      .returning('event_id')) as unknown[];
    return rows.length > 0;
  };
  // The endpoint may have been deleted meanwhile (cascading the delivery): then there is nothing to log.
  try {
    return await db.transaction((trx) => run(trx));
  } catch (err) {
    if ((err as { code?: string }).code === '23503') return false;
    throw err;
  }
}

/** Gives back a worker's leases without counting an attempt (graceful shutdown). */
export async function releaseLeases(db: Db, leaseId: string): Promise<void> {
  await db('webhook_deliveries').where({ lease_id: leaseId, state: 'pending' }).update({ locked_until: null, lease_id: null });
}

/** An endpoint's deliveries, newest first, after the keyset `after` (created_at, event_id). */
export async function listDeliveries(
  db: Db,
  portalId: number,
  endpointId: string,
  page: { limit: number; after: { createdAt: string; eventId: string } | null },
): Promise<DeliveryWithAttempts[]> {
  const q = db('webhook_deliveries as d')
    .join('webhook_events as ev', (j) => j.on('ev.portal_id', 'd.portal_id').andOn('ev.id', 'd.event_id'))
    .where({ 'd.portal_id': portalId, 'd.endpoint_id': endpointId })
    // created_at as text too: the cursor needs its microseconds, which a JS Date drops.
    .select('d.*', 'ev.type', 'ev.invoice_id', db.raw('d.created_at::text AS created_at_text'))
    .orderBy([
      { column: 'd.created_at', order: 'desc' },
      { column: 'd.event_id', order: 'desc' },
    ])
    .limit(page.limit);
  if (page.after) q.whereRaw('(d.created_at, d.event_id) < (CAST(? AS timestamptz), CAST(? AS uuid))', [page.after.createdAt, page.after.eventId]);
  const rows = (await q) as Array<Record<string, unknown>>;
  if (rows.length === 0) return [];
  const attempts = (await db('webhook_delivery_attempts')
    .where({ portal_id: portalId, endpoint_id: endpointId })
    .whereIn(
      'event_id',
      rows.map((r) => r.event_id as string),
    )
    .orderBy('id')) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    eventId: r.event_id as string,
    eventType: r.type as WebhookEventType,
    invoiceId: r.invoice_id as string,
    state: r.state as DeliveryWithAttempts['state'],
    attempts: r.attempts as number,
    nextAttemptAt: (r.next_attempt_at as Date | null) ?? null,
    lastStatus: (r.last_status as number | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    deliveredAt: (r.delivered_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
    createdAtText: r.created_at_text as string,
    log: attempts
      .filter((a) => a.event_id === r.event_id)
      .map((a) => ({
        attempt: a.attempt as number,
        attemptedAt: a.attempted_at as Date,
        durationMs: a.duration_ms as number,
        httpStatus: (a.http_status as number | null) ?? null,
        error: (a.error as string | null) ?? null,
        outcome: a.outcome as string,
      })),
  }));
}
