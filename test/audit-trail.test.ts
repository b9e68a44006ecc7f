/**
 * The audit trail: every change to an invoice is in its event log with who (card user, API
 * token, HubSpot, system), when and what; the log is readable at /events and unchangeable in SQL.
 */
import { describe, expect, it } from 'vitest';
import { cardRequest, proxyQuery } from './fakes/hubspot-signing.js';
import { hubspotUsers } from './fakes/hubspot-users.js';
import { newPortalId } from './helpers/app.js';
import { onServer } from './helpers/db.js';
import { draftBody } from './helpers/factories.js';
import { installedPortal } from './helpers/hubspot-install.js';
import { useTestApp } from './helpers/use-test-app.js';
import { invoiceIn } from './helpers/invoices.js';

const t = useTestApp({ clock: '2026-11-28T12:00:00Z', offline: true });
const { db, clock } = t;

interface EventJson {
  id: string;
  type: string;
  actor: { type: string; id: string | null };
  data: Record<string, unknown>;
  createdAt: string;
}

describe('invoice audit trail', () => {
  it('logs create, edit (field diff), finalize, void and payment with the acting card user or API token', async () => {
    const portalId = newPortalId();
    await installedPortal(t.deps, portalId);
    hubspotUsers([{ id: '42', createdAt: '2022-05-01T00:00:00Z' }]);
    const card = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: object) =>
      cardRequest(t.app, { method, path: `${path}?${proxyQuery(portalId, '42')}`, ...(body ? { body } : {}), timestamp: clock.now().getTime() });

    const created = await card('POST', '/api/v1/invoices', draftBody({ paymentTerms: 'net_30' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const edited = await card('PATCH', `/api/v1/invoices/${id}`, { version: created.body.version, paymentTerms: 'net_15', buyerComments: 'Thanks' });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect((await card('POST', `/api/v1/invoices/${id}/finalize`)).status).toBe(200);
    const api = t.as(portalId, undefined, '7');
    expect((await api.post(`/api/v1/invoices/${id}/void`, { reason: 'Duplicate' })).status).toBe(200);

    const res = await card('GET', `/api/v1/invoices/${id}/events`);
    expect(res.status).toBe(200);
    const events = res.body.data as EventJson[];
    expect(events.map((e) => [e.type, e.actor.type, e.actor.id])).toEqual([
      ['invoice.created', 'user', '42'],
      ['invoice.updated', 'user', '42'],
      ['invoice.finalized', 'user', '42'],
      ['invoice.voided', 'api_token', '7'],
    ]);
    // The edit names exactly the fields that changed, with before and after.
    const changes = events[1]!.data.changes as Record<string, { from: unknown; to: unknown }>;
    expect(Object.keys(changes)).toEqual(expect.arrayContaining(['buyerComments', 'paymentTerms']));
    expect(changes.paymentTerms).toEqual({ from: 'net_30', to: 'net_15' });
    expect(changes).not.toHaveProperty('currency');
    expect(changes).not.toHaveProperty('lineItems');
    expect(events[2]!.data).toMatchObject({ number: expect.stringMatching(/^INV-\d+$/) });
    expect(events[3]!.data).toMatchObject({ reason: 'Duplicate' });

    // A payment recorded from the card, on an invoice an API token created and finalized.
    const other = (await invoiceIn(api, 'open')).id;
    expect((await card('POST', `/api/v1/invoices/${other}/payments`, { amount: 500, method: 'cash' })).status).toBe(201);
    const otherEvents = (await card('GET', `/api/v1/invoices/${other}/events`)).body.data as EventJson[];
    expect(otherEvents.map((e) => [e.type, e.actor.type, e.actor.id])).toEqual([
      ['invoice.created', 'api_token', '7'],
      ['invoice.finalized', 'api_token', '7'],
      ['invoice.partially_paid', 'user', '42'],
    ]);
    expect(otherEvents[2]!.data).toMatchObject({ amount: 500, method: 'cash' });
    for (const e of events) expect(new Date(e.createdAt).toISOString()).toBe(e.createdAt);
  });

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const portalId = newPortalId();
    const api = t.as(portalId);
    const id = (await api.post('/api/v1/invoices', draftBody())).body.id as string;
    const where = `portal_id = ${portalId} AND invoice_id = '${id}'`;
    await expect(db.raw(`UPDATE invoice_events SET actor_id = 'someone-else' WHERE ${where}`)).rejects.toThrow(/append-only/);
    await expect(db.raw(`UPDATE invoice_events SET data = '{}' WHERE ${where}`)).rejects.toThrow(/append-only/);
    await expect(db.raw(`DELETE FROM invoice_events WHERE ${where}`)).rejects.toThrow(/append-only/);
    // TRUNCATE is refused too (on the shared server it would also hit every other test's rows).
    if (!onServer) await expect(db.raw(`TRUNCATE invoice_events`)).rejects.toThrow(/append-only/);
    const rows = await db('invoice_events').where({ portal_id: portalId, invoice_id: id });
    expect(rows.map((r) => [r.type, r.actor_type, r.actor_id])).toEqual([['invoice.created', 'api_token', '1']]);
  });

  it('refuses the log to a user without view, naming the permission', async () => {
    const portalId = newPortalId();
    await installedPortal(t.deps, portalId);
    hubspotUsers([{ id: '43', createdAt: '2023-02-09T00:00:00Z' }]);
    const id = (await t.as(portalId).post('/api/v1/invoices', draftBody())).body.id as string;
    const res = await cardRequest(t.app, {
      method: 'GET',
      path: `/api/v1/invoices/${id}/events?${proxyQuery(portalId, '43')}`,
      timestamp: clock.now().getTime(),
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', details: [{ path: 'permission', message: 'missing view' }] });
  });
});
