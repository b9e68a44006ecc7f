import { describe, expect, it } from 'vitest';
import { newPortalId } from './helpers/app.js';
import { draftBody } from './helpers/factories.js';
import { useTestApp } from './helpers/use-test-app.js';
import { invoiceIn } from './helpers/invoices.js';

const t = useTestApp({ clock: '2026-11-28T12:00:00Z' });
const { db } = t;

describe('invoice lifecycle over HTTP', () => {
  it('creates a draft with totals from the money engine', async () => {
    const api = t.as(newPortalId());
    const res = await api.post('/api/v1/invoices', draftBody());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      number: null,
      status: 'draft',
      currency: 'USD',
      invoiceDate: '2026-11-28',
      dueDate: '2026-12-28',
      subtotal: 15000,
      discountTotal: 1500,
      taxTotal: 2835,
      total: 16335,
      balanceDue: 16335,
      amountPaid: 0,
      roundingRule: 'line_half_away_from_zero',
      hostedUrl: null,
      version: 1,
      associations: { contacts: ['101'], companies: ['201'], deals: ['301'], quotes: [] },
    });
    expect(res.body.lineItems[0]).toMatchObject({ name: 'Onboarding', quantity: '1.5', unitPrice: 10000, amount: 13500 });
  });

  it('edits a draft with the version it read, and refuses a stale version', async () => {
    const api = t.as(newPortalId());
    const created = (await api.post('/api/v1/invoices', draftBody())).body;
    const edited = await api.patch(`/api/v1/invoices/${created.id}`, { version: 1, buyerComments: 'Thanks!', paymentTerms: 'net_15' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ buyerComments: 'Thanks!', dueDate: '2026-12-13', version: 2, total: 16335 });
    const stale = await api.patch(`/api/v1/invoices/${created.id}`, { version: 1, buyerComments: 'lost update' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect((await api.get(`/api/v1/invoices/${created.id}`)).body.buyerComments).toBe('Thanks!');
  });

  it('finalizes: number from the counter, immutable afterwards, paid after payments', async () => {
    const api = t.as(newPortalId());
    const created = (await api.post('/api/v1/invoices', draftBody())).body;
    const fin = await api.post(`/api/v1/invoices/${created.id}/finalize`);
    expect(fin.status).toBe(200);
    expect(fin.body).toMatchObject({ number: 'INV-1001', status: 'open', pastDue: false });
    expect(fin.body.hostedUrl).toMatch(/^https:\/\/invoices\.test\/i\/[\w-]{32}$/);
    expect(fin.body.finalizedAt).toBe('2026-11-28T12:00:00.000Z');

    const edit = await api.patch(`/api/v1/invoices/${created.id}`, { version: fin.body.version, buyerComments: 'x' });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('invoice_not_editable');
    expect((await api.delete(`/api/v1/invoices/${created.id}`)).status).toBe(409);

    const part = await api.post(`/api/v1/invoices/${created.id}/payments`, { amount: 6335, method: 'bank_transfer', reference: 'TX-1' });
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({ status: 'open', amountPaid: 6335, balanceDue: 10000 });

    const over = await api.post(`/api/v1/invoices/${created.id}/payments`, { amount: 10001, method: 'cash' });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('payment_exceeds_balance');

    const rest = await api.post(`/api/v1/invoices/${created.id}/payments`, { amount: 10000, method: 'check' });
    expect(rest.body).toMatchObject({ status: 'paid', amountPaid: 16335, balanceDue: 0, paidAt: '2026-11-28T12:00:00.000Z' });

    const events = await api.get(`/api/v1/invoices/${created.id}/events`);
    expect(events.body.data.map((e: { type: string }) => e.type)).toEqual(['invoice.created', 'invoice.finalized', 'invoice.partially_paid', 'invoice.paid']);
    expect(events.body.data[1].data).toEqual({ number: 'INV-1001' });
  });

  it('refuses to finalize without lines or billing contact, listing every reason', async () => {
    const api = t.as(newPortalId());
    const created = (await api.post('/api/v1/invoices', draftBody({ lineItems: [], billTo: null }))).body;
    const res = await api.post(`/api/v1/invoices/${created.id}/finalize`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invoice_not_finalizable');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['lineItems', 'billTo']);
    const settings = await api.get('/api/v1/settings');
    expect(settings.body.nextNumber).toBe(1001);
  });

  it('voids an open invoice, keeping its number; the next invoice gets the next number', async () => {
    const api = t.as(newPortalId());
    const a = await invoiceIn(api, 'open');
    const voided = await api.post(`/api/v1/invoices/${a.id}/void`, { reason: 'Wrong customer' });
    expect(voided.body).toMatchObject({ status: 'void', number: 'INV-1001', voidReason: 'Wrong customer' });
    expect((await api.post(`/api/v1/invoices/${a.id}/payments`, { amount: 1, method: 'cash' })).status).toBe(422);
    const b = (await api.post('/api/v1/invoices', draftBody())).body;
    expect((await api.post(`/api/v1/invoices/${b.id}/finalize`)).body.number).toBe('INV-1002');
  });

  it('snapshots the brand at finalization: a later logo change does not alter the issued invoice', async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    await api.put('/api/v1/settings', { brand: { logoUrl: 'https://cdn.example.com/old.png', name: 'Seller BV' } });
    const inv = await invoiceIn(api, 'open');
    await api.put('/api/v1/settings', { brand: { logoUrl: 'https://cdn.example.com/new.png', name: 'Seller BV' } });
    const row = await db('invoices').where({ portal_id: portal, id: inv.id }).first();
    expect(row.snapshot).toMatchObject({
      number: 'INV-1001',
      seller: { brand: { logoUrl: 'https://cdn.example.com/old.png' } },
      totals: { total: 16335 },
      lineItems: [{ name: 'Onboarding', amount: 13500, taxAmount: 2835 }],
    });
  });

  it('deletes drafts only', async () => {
    const api = t.as(newPortalId());
    const a = (await api.post('/api/v1/invoices', draftBody())).body;
    expect((await api.delete(`/api/v1/invoices/${a.id}`)).status).toBe(204);
    expect((await api.get(`/api/v1/invoices/${a.id}`)).status).toBe(404);
  });

  it('derives past due from the due date in the portal time zone', async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    await api.put('/api/v1/settings', { timeZone: 'Pacific/Auckland' });
    const inv = await invoiceIn(api, 'open', { invoiceDate: '2026-10-01', paymentTerms: 'due_on_receipt' });
    // 2026-11-28T12:00Z is already 2026-11-29 in Auckland: 59 days after 2026-10-01.
    const got = await api.get(`/api/v1/invoices/${inv.id}`);
    expect(got.body).toMatchObject({ pastDue: true, daysPastDue: 59 });
  });

  it("hides another portal's invoice behind a 404", async () => {
    const owner = t.as(newPortalId());
    const other = t.as(newPortalId());
    const inv = (await owner.post('/api/v1/invoices', draftBody())).body;
    for (const res of [
      await other.get(`/api/v1/invoices/${inv.id}`),
      await other.patch(`/api/v1/invoices/${inv.id}`, { version: 1, buyerComments: 'x' }),
      await other.post(`/api/v1/invoices/${inv.id}/finalize`),
      await other.delete(`/api/v1/invoices/${inv.id}`),
      await other.get(`/api/v1/invoices/${inv.id}/events`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await other.get('/api/v1/invoices')).body.data).toEqual([]);
  });
});
