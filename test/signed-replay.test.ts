import { beforeEach, describe, expect, it } from 'vitest';
import { cardRequest, proxyQuery } from './fakes/hubspot-signing.js';
import { hubspotUsers } from './fakes/hubspot-users.js';
import { newPortalId } from './helpers/app.js';
import { draftBody } from './helpers/factories.js';
import { installedPortal } from './helpers/hubspot-install.js';
import { useTestApp } from './helpers/use-test-app.js';

// Issue 13, finding 9: a signed card request seen again (same X-HubSpot-Signature-v3 and
// timestamp) within the 5-minute window replays the first answer instead of running again.

const t = useTestApp({ clock: '2026-11-28T12:00:00Z', offline: true });
const { db, clock } = t;
const now = () => clock.now().getTime();

// User 42 was created before 2023-02-09: view, edit, finalize, void, record_payment, export.
beforeEach(() => {
  hubspotUsers([{ id: '42', createdAt: '2022-05-01T00:00:00Z' }]);
});

async function installed(): Promise<number> {
  const portalId = newPortalId();
  await installedPortal(t.deps, portalId);
  return portalId;
}

const invoiceCount = async (portalId: number) => Number((await db('invoices').where({ portal_id: portalId }).count<{ n: string }[]>({ n: '*' }))[0]!.n);

describe('replay safety of signed card requests', () => {
  it('runs a signed POST once: the same signature and timestamp again get the first answer', async () => {
    const portalId = await installed();
    const request = { method: 'POST' as const, path: `/api/v1/invoices?${proxyQuery(portalId)}`, body: draftBody(), timestamp: now() };
    const first = await cardRequest(t.app, request);
    expect(first.status).toBe(201);
    clock.set('2026-11-28T12:03:00Z'); // still inside the window
    const again = await cardRequest(t.app, request);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await invoiceCount(portalId)).toBe(1);
  });

  it('runs a request signed with another timestamp (a new request) again', async () => {
    const portalId = await installed();
    const path = `/api/v1/invoices?${proxyQuery(portalId)}`;
    const first = await cardRequest(t.app, { method: 'POST', path, body: draftBody(), timestamp: now() });
    const second = await cardRequest(t.app, { method: 'POST', path, body: draftBody(), timestamp: now() + 1 });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(await invoiceCount(portalId)).toBe(2);
  });

  it('replays a state transition (finalize) instead of running it twice', async () => {
    const portalId = await installed();
    const draft = await cardRequest(t.app, { method: 'POST', path: `/api/v1/invoices?${proxyQuery(portalId)}`, body: draftBody(), timestamp: now() });
    const finalize = { method: 'POST' as const, path: `/api/v1/invoices/${draft.body.id}/finalize?${proxyQuery(portalId)}`, timestamp: now() };
    const first = await cardRequest(t.app, finalize);
    expect(first.status).toBe(200);
    const again = await cardRequest(t.app, finalize);
    // Without replay safety this is a 422 (already open) from running a second time.
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const events = await db('invoice_events').where({ portal_id: portalId, invoice_id: draft.body.id, type: 'invoice.finalized' });
    expect(events).toHaveLength(1);
  });

  it('replays the first refusal too, and a refused request leaves no key behind', async () => {
    const portalId = await installed();
    const request = { method: 'POST' as const, path: `/api/v1/invoices?${proxyQuery(portalId)}`, body: { ...draftBody(), currency: 'XXX' }, timestamp: now() };
    const first = await cardRequest(t.app, request);
    expect(first.status).toBe(400);
    const again = await cardRequest(t.app, request);
    expect(again.status).toBe(400);
    expect(await db('idempotency_keys').where({ portal_id: portalId })).toHaveLength(0);
  });

  it('replays user-scoped writes outside the invoices too (a saved view)', async () => {
    const portalId = await installed();
    const request = {
      method: 'POST' as const,
      path: `/api/v1/views?${proxyQuery(portalId)}`,
      body: { name: 'Overdue', filters: { view: 'overdue' } },
      timestamp: now(),
    };
    const first = await cardRequest(t.app, request);
    expect(first.status).toBe(201);
    const again = await cardRequest(t.app, request);
    // Without replay safety the second run is a 409 view_name_taken.
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
  });

  it('concurrent duplicates run once: one creates, the other replays or is told the first is in progress', async () => {
    const portalId = await installed();
    const request = { method: 'POST' as const, path: `/api/v1/invoices?${proxyQuery(portalId)}`, body: draftBody(), timestamp: now() };
    const results = await Promise.all([cardRequest(t.app, request), cardRequest(t.app, request), cardRequest(t.app, request)]);
    for (const r of results) expect([201, 409]).toContain(r.status);
    expect(results.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(await invoiceCount(portalId)).toBe(1);
  });

  it('keys a signed request by its signature under the signed user only', async () => {
    const portalId = await installed();
    await cardRequest(t.app, { method: 'POST', path: `/api/v1/invoices?${proxyQuery(portalId)}`, body: draftBody(), timestamp: now() });
    const keys = await db('idempotency_keys').where({ portal_id: portalId }).select('actor_kind', 'actor_user_id', 'key');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ actor_kind: 'user', actor_user_id: '42' });
    // A digest, never the signature itself; the space keeps it apart from any Idempotency-Key a client can send.
    expect(keys[0].key).toMatch(/^hubspot-v3 [0-9a-f]{64}$/);
  });
});
