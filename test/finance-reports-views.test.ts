import { describe, expect, it } from 'vitest';
import { agingReport } from '../src/domain/aging.js';
import { addDays } from '../src/domain/dates.js';
import { newPortalId } from './helpers/app.js';
import { useTestApp } from './helpers/use-test-app.js';
import { invoiceIn } from './helpers/invoices.js';

const t = useTestApp({ clock: '2026-11-28T12:00:00Z' });

/** Fields of an invoice due on `dueDate` (16335 minor units with the default line). */
const dueOn = (dueDate: string, fields: Record<string, unknown> = {}) => ({ invoiceDate: '2025-01-01', paymentTerms: 'custom', dueDate, ...fields });

describe('GET /api/v1/reports/aging', () => {
  it('buckets open balances per currency at every boundary, exactly as the pure function does', async () => {
    const api = t.as(newPortalId());
    const asOf = '2026-11-28';
    const days = [-5, 0, 1, 30, 31, 60, 61, 90, 91, 400];
    const expected: Array<{ currency: string; dueDate: string; balance: number }> = [];
    for (const d of days) {
      const dueDate = addDays(asOf, -d);
      const inv = await invoiceIn(api, 'open', dueOn(dueDate));
      expected.push({ currency: 'USD', dueDate, balance: inv.total });
    }
    // A partial payment counts its balance; EUR and JPY have rows of their own.
    const eur = await invoiceIn(api, 'partly_paid', dueOn(addDays(asOf, -45), { currency: 'EUR' }), { payment: { amount: 335 } });
    expected.push({ currency: 'EUR', dueDate: addDays(asOf, -45), balance: eur.total - 335 });
    const jpy = await invoiceIn(api, 'open', dueOn(addDays(asOf, -10), { currency: 'JPY', lineItems: [{ name: 'Yen', quantity: '3', unitPrice: 1000 }] }));
    expected.push({ currency: 'JPY', dueDate: addDays(asOf, -10), balance: jpy.total });
    // Not open: draft, paid and void invoices are not owed.
    await invoiceIn(api, 'draft', dueOn('2025-02-01'));
    await invoiceIn(api, 'paid', dueOn('2025-02-01'));
    await invoiceIn(api, 'void', dueOn('2025-02-01'), { voidReason: 'x' });

    const res = await api.get(`/api/v1/reports/aging?asOf=${asOf}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.asOf).toBe(asOf);
    expect(res.body.buckets).toEqual(['current', '1-30', '31-60', '61-90', '90+']);
    expect(res.body.data).toEqual(agingReport(expected, asOf));
    const usd = res.body.data.find((r: { currency: string }) => r.currency === 'USD');
    expect(usd.buckets).toEqual({
      current: { count: 2, balance: 2 * 16335 },
      '1-30': { count: 2, balance: 2 * 16335 },
      '31-60': { count: 2, balance: 2 * 16335 },
      '61-90': { count: 2, balance: 2 * 16335 },
      '90+': { count: 2, balance: 2 * 16335 },
    });
    expect(res.body.data.find((r: { currency: string }) => r.currency === 'EUR').buckets['31-60']).toEqual({ count: 1, balance: 16000 });
  });

  it('defaults asOf to today in the portal time zone', async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    expect((await api.put('/api/v1/settings', { timeZone: 'Pacific/Auckland' })).status).toBe(200);
    await invoiceIn(api, 'open', dueOn('2026-11-28'));
    // 12:00 UTC on the 28th is already the 29th in Auckland: one day past due.
    const res = await api.get('/api/v1/reports/aging');
    expect(res.status).toBe(200);
    expect(res.body.asOf).toBe('2026-11-29');
    expect(res.body.timeZone).toBe('Pacific/Auckland');
    expect(res.body.data[0].buckets['1-30']).toEqual({ count: 1, balance: 16335 });
  });

  it('is empty for a portal without open invoices, scoped to the portal, and validates asOf', async () => {
    const api = t.as(newPortalId());
    await invoiceIn(t.as(newPortalId()), 'open', dueOn('2026-01-01'));
    expect((await api.get('/api/v1/reports/aging?asOf=2026-11-28')).body.data).toEqual([]);
    const bad = await api.get('/api/v1/reports/aging?asOf=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('asOf');
    expect((await t.as(newPortalId(), ['exports']).get('/api/v1/reports/aging')).status).toBe(403);
  });
});

describe('/api/v1/views', () => {
  it("saves, lists and deletes a user's own views with validated filters", async () => {
    const api = t.as(newPortalId());
    const created = await api.post('/api/v1/views', {
      name: 'Big overdue EUR',
      filters: { view: 'overdue', currency: 'EUR', minBalance: '10000', sort: 'dueDate' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Big overdue EUR',
      filters: { view: 'overdue', currency: 'EUR', minBalance: 10000, sort: 'dueDate' },
      createdAt: '2026-11-28T12:00:00.000Z',
    });
    await api.post('/api/v1/views', { name: 'All drafts', filters: { view: 'draft' } });
    const listed = await api.get('/api/v1/views');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((v: { name: string }) => v.name)).toEqual(['All drafts', 'Big overdue EUR']);
    const del = await api.delete(`/api/v1/views/${created.body.id}`);
    expect(del.status, JSON.stringify(del.body)).toBe(204);
    expect((await api.get('/api/v1/views')).body.data.map((v: { name: string }) => v.name)).toEqual(['All drafts']);
    expect((await api.delete(`/api/v1/views/${created.body.id}`)).status).toBe(404);
  });

  it('refuses filters the list would refuse, unknown filters, a cursor and duplicate names', async () => {
    const api = t.as(newPortalId());
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'x', filters: { view: 'nope' } }, 'filters.view'],
      [{ name: 'x', filters: { currency: 'eur' } }, 'filters.currency'],
      [{ name: 'x', filters: { dueFrom: '2026-02-30' } }, 'filters.dueFrom'],
      [{ name: 'x', filters: { objectType: 'deals' } }, 'filters.objectId'],
      [{ name: 'x', filters: { colour: 'red' } }, 'filters.colour'],
      [{ name: 'x', filters: { cursor: 'abc' } }, 'filters.cursor'],
      [{ name: '  ', filters: {} }, 'name'],
      [{ name: 'x', filters: {}, extra: 1 }, 'extra'],
    ];
    for (const [body, path] of cases) {
      const res = await api.post('/api/v1/views', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(
        res.body.error.details.map((d: { path: string }) => d.path),
        JSON.stringify(res.body),
      ).toContain(path);
    }
    expect((await api.post('/api/v1/views', { name: 'Mine', filters: {} })).status).toBe(201);
    const dup = await api.post('/api/v1/views', { name: 'Mine', filters: { view: 'open' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('view_name_taken');
  });

  it('keeps views private: another user or portal neither sees nor deletes them (404)', async () => {
    const portal = newPortalId();
    const ada = t.as(portal, undefined, '1');
    const bob = t.as(portal, undefined, '2');
    const other = t.as(newPortalId(), undefined, '1');
    const view = (await ada.post('/api/v1/views', { name: 'Mine', filters: { view: 'open' } })).body;
    // The same name is fine for another user.
    expect((await bob.post('/api/v1/views', { name: 'Mine', filters: {} })).status).toBe(201);
    expect((await bob.get('/api/v1/views')).body.data.map((v: { id: string }) => v.id)).not.toContain(view.id);
    expect((await other.get('/api/v1/views')).body.data).toEqual([]);
    expect((await bob.delete(`/api/v1/views/${view.id}`)).status).toBe(404);
    expect((await other.delete(`/api/v1/views/${view.id}`)).status).toBe(404);
    expect((await ada.delete('/api/v1/views/not-a-uuid')).status).toBe(404);
    expect((await ada.get('/api/v1/views')).body.data).toHaveLength(1);
  });
});
