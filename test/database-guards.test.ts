import { describe, expect, it } from 'vitest';
import { newPortalId } from './helpers/app.js';
import { draftBody } from './helpers/factories.js';
import { useTestApp } from './helpers/use-test-app.js';
import { invoiceIn } from './helpers/invoices.js';

const t = useTestApp();
const { db } = t;

/** A finalized invoice with one partial payment, made through the API. */
async function finalizedInvoice() {
  const portal = newPortalId();
  const api = t.as(portal);
  const { id } = await invoiceIn(api, 'partly_paid', {}, { payment: { amount: 100 } });
  return { portal, id };
}

describe('invariants the database enforces by itself', () => {
  it('refuses a direct UPDATE of a finalized invoice total, number, dates or lines', async () => {
    const { portal, id } = await finalizedInvoice();
    const where = `WHERE portal_id = ${portal} AND id = '${id}'`;
    await expect(db.raw(`UPDATE invoices SET total = total + 1, subtotal = subtotal + 1 ${where}`)).rejects.toThrow(/finalized/);
    await expect(db.raw(`UPDATE invoices SET number = 'INV-9999' ${where}`)).rejects.toThrow(/finalized/);
    await expect(db.raw(`UPDATE invoices SET due_date = due_date + 1 ${where}`)).rejects.toThrow(/finalized/);
    await expect(db.raw(`UPDATE invoices SET status = 'draft' ${where}`)).rejects.toThrow(/cannot move/);
    await expect(db.raw(`UPDATE invoice_line_items SET unit_price = 1 WHERE portal_id = ${portal} AND invoice_id = '${id}'`)).rejects.toThrow(/finalized/);
    await expect(db.raw(`DELETE FROM invoice_line_items WHERE portal_id = ${portal} AND invoice_id = '${id}'`)).rejects.toThrow(/finalized/);
    await expect(db.raw(`DELETE FROM invoices ${where}`)).rejects.toThrow(/cannot be deleted/);
    const row = await db('invoices').where({ portal_id: portal, id }).first();
    expect(row).toMatchObject({ total: 16335, number: 'INV-1001', status: 'open', amount_paid: 100 });
  });

  it('refuses an overpayment inserted directly, and payments on drafts', async () => {
    const { portal, id } = await finalizedInvoice();
    const payment = { portal_id: portal, invoice_id: id, currency: 'USD', method: 'cash', received_on: '2026-11-28', source: 'manual' };
    await expect(db('payments').insert({ ...payment, amount: 16335 })).rejects.toThrow(/invoices_amount_paid_within_total/);
    const draft = (await t.as(portal).post('/api/v1/invoices', draftBody())).body;
    await expect(db('payments').insert({ ...payment, invoice_id: draft.id, amount: 1 })).rejects.toThrow(/open invoices/);
    expect((await db('invoices').where({ portal_id: portal, id }).first()).amount_paid).toBe(100);
  });

  it('keeps payments and the audit log append-only', async () => {
    const { portal, id } = await finalizedInvoice();
    await expect(db.raw(`UPDATE payments SET amount = 1 WHERE portal_id = ${portal}`)).rejects.toThrow(/append-only/);
    await expect(db.raw(`DELETE FROM payments WHERE portal_id = ${portal}`)).rejects.toThrow(/append-only/);
    await expect(db.raw(`UPDATE invoice_events SET type = 'x' WHERE portal_id = ${portal} AND invoice_id = '${id}'`)).rejects.toThrow(/append-only/);
    await expect(db.raw(`DELETE FROM invoice_events WHERE portal_id = ${portal} AND invoice_id = '${id}'`)).rejects.toThrow(/append-only/);
    expect(await db('invoice_events').where({ portal_id: portal, invoice_id: id }).count({ n: '*' }).first()).toEqual({ n: 3 });
  });

  it('refuses a second invoice with the same number in a portal', async () => {
    const { portal } = await finalizedInvoice();
    await invoiceIn(t.as(portal), 'open');
    // Forge the counter back past the trigger (as a superuser could) and the unique constraint still holds.
    await db.raw(`ALTER TABLE portal_settings DISABLE TRIGGER portal_settings_guard_numbering`);
    try {
      await db('portal_settings').where({ portal_id: portal }).update({ next_number: 1001 });
    } finally {
      await db.raw(`ALTER TABLE portal_settings ENABLE TRIGGER portal_settings_guard_numbering`);
    }
    const third = (await t.as(portal).post('/api/v1/invoices', draftBody())).body;
    const res = await t.as(portal).post(`/api/v1/invoices/${third.id}/finalize`);
    expect(res.status).toBe(409);
    expect((await t.as(portal).get(`/api/v1/invoices/${third.id}`)).body.status).toBe('draft');
  });
});
