/**
 * The test kit itself (test/helpers/use-test-app.ts, invoices.ts): every state invoiceIn promises
 * is the state the API reports, the handle's database works before and inside tests, and the
 * clock is put back before each test.
 */
import { describe, expect, it } from 'vitest';
import { invoiceIn, type InvoiceState } from './helpers/invoices.js';
import { useTestApp } from './helpers/use-test-app.js';

const START = '2026-11-28T12:00:00Z';
const t = useTestApp({ clock: START });
// Taken at import time, before the database exists: it forwards to it once open.
const { db, clock } = t;

describe('invoiceIn', () => {
  it.each([
    ['draft', { status: 'draft', number: null, amountPaid: 0 }],
    ['open', { status: 'open', number: 'INV-1001', amountPaid: 0, balanceDue: 16335 }],
    ['partly_paid', { status: 'open', number: 'INV-1001', amountPaid: 8167, balanceDue: 8168 }],
    ['paid', { status: 'paid', number: 'INV-1001', amountPaid: 16335, balanceDue: 0 }],
    ['void', { status: 'void', number: 'INV-1001', voidReason: 'test' }],
  ] as const)('%s is what the API then shows', async (state: InvoiceState, shown) => {
    const { api } = t.portal();
    const inv = await invoiceIn(api, state);
    expect(inv.total).toBe(16335);
    const read = await api.get(`/api/v1/invoices/${inv.id}`);
    expect(read.body).toMatchObject(shown);
    expect(inv.body).toMatchObject(shown);
    if (state !== 'draft') {
      const issued = inv as Awaited<ReturnType<typeof invoiceIn<'open'>>>;
      expect(issued.number).toBe('INV-1001');
      expect(issued.hostedUrl).toBe(`https://invoices.test/i/${issued.token}`);
    }
  });

  it('takes draft overrides and the payment, void and finalize details', async () => {
    const { api } = t.portal();
    const jpy = await invoiceIn(
      api,
      'partly_paid',
      { currency: 'JPY', lineItems: [{ name: 'Yen', quantity: '3', unitPrice: 1000 }] },
      { payment: { amount: 1000, method: 'check' } },
    );
    expect(jpy.body).toMatchObject({ currency: 'JPY', total: 3000, amountPaid: 1000, status: 'open' });
    const voided = await invoiceIn(api, 'void', {}, { voidReason: 'Duplicate', finalizeHeaders: { 'Idempotency-Key': 'kit-1' } });
    expect(voided.body).toMatchObject({ status: 'void', voidReason: 'Duplicate', number: 'INV-1002' });
  });

  it('fails loudly when a step is refused', async () => {
    const { api } = t.portal();
    await expect(invoiceIn(api, 'open', { billTo: null })).rejects.toThrow(/finalize: 422/);
    await expect(invoiceIn(api, 'draft', { currency: 'XYZ' })).rejects.toThrow(/create: 400/);
  });
});

describe('useTestApp', () => {
  it('gives a database handle that works as knex (query, raw, transaction)', async () => {
    const { portalId, api } = t.portal();
    const inv = await invoiceIn(api, 'open');
    expect((await db('invoices').where({ portal_id: portalId, id: inv.id }).first()).number).toBe('INV-1001');
    expect((await db.raw('SELECT 1 AS one')).rows[0].one).toBe(1);
    expect(await db.transaction(async (trx) => (await trx('invoices').where({ portal_id: portalId }).count({ n: '*' }).first())!.n)).toBe(1);
  });

  it('moves the clock for this test only (1/2)', async () => {
    expect(clock.now().toISOString()).toBe('2026-11-28T12:00:00.000Z');
    clock.set('2030-01-01T00:00:00Z');
    const { api } = t.portal();
    expect((await invoiceIn(api, 'draft', { invoiceDate: undefined })).body.invoiceDate).toBe('2030-01-01');
  });

  it('starts the next test at the start again (2/2)', () => {
    expect(clock.now().toISOString()).toBe('2026-11-28T12:00:00.000Z');
  });
});
