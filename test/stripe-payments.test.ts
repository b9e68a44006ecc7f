import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { deliver, STRIPE_ENV, stripeFake } from './fakes/stripe.js';
import { newPortalId } from './helpers/app.js';
import { openInvoiceOnConnectedPortal } from './helpers/stripe.js';
import { useTestApp } from './helpers/use-test-app.js';

const t = useTestApp({ clock: '2026-11-28T12:00:00Z', env: STRIPE_ENV, offline: true });
const { db, clock } = t;

const acct = () => `acct_${newPortalId()}`;

/** Buyer posts the hosted page's form. */
function pay(token: string, form: Record<string, string> = {}) {
  return supertest(t.app).post(`/i/${token}/pay`).set('Host', 'invoices.test').type('form').send(form);
}

async function paidInvoice(portalId: number, invoiceId: string) {
  return (await t.as(portalId).get(`/api/v1/invoices/${invoiceId}`)).body;
}

async function paymentRows(portalId: number) {
  return db('payments').where({ portal_id: portalId }).orderBy('created_at').select('kind', 'amount', 'applied_amount', 'method', 'source', 'external_id');
}

describe('paying an invoice with Stripe Checkout', () => {
  it('redirects (303) to a session for the balance on the connected account, with only the invoice methods and an idempotency key', async () => {
    const portal = newPortalId();
    const account = acct();
    const { invoice, token } = await openInvoiceOnConnectedPortal(db, t, portal, account);
    const stripe = stripeFake(clock.now);
    stripe.createsSessions(account);
    const res = await pay(token);
    expect(res.status).toBe(303);
    const session = stripe.onlySession();
    expect(res.headers.location).toBe(session.url);
    expect(stripe.isDone()).toBe(true);
    expect(session.amount_total).toBe(16335);
    expect(session.currency).toBe('usd');
    expect(session.allowed_payment_method_types).toEqual(['card', 'us_bank_account']);
    expect(session.params.mode).toBe('payment');
    expect(session.metadata).toMatchObject({ portal_id: String(portal), invoice_id: invoice.id });
    expect(session.params['payment_intent_data[metadata][invoice_id]']).toBe(invoice.id);
    expect(session.idempotencyKey).toMatch(/^invoice-checkout-[0-9a-f-]{36}$/);
    // Only the token in our URLs: nothing else about the invoice.
    expect(session.success_url).toBe(`https://invoices.test/i/${token}/paid?session_id={CHECKOUT_SESSION_ID}`);
    expect(session.cancel_url).toBe(`https://invoices.test/i/${token}?cancelled=1`);

    // A second click for the same amount reuses the open session: no second Stripe call.
    const again = await pay(token);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(session.url);
  });

  it('card: checkout.session.completed records the payment once and the invoice is paid; duplicates change nothing', async () => {
    const portal = newPortalId();
    const account = acct();
    const { invoice, token } = await openInvoiceOnConnectedPortal(db, t, portal, account);
    const stripe = stripeFake(clock.now);
    stripe.createsSessions(account);
    await pay(token);
    const session = stripe.onlySession();
    const completed = stripe.sessionCompleted(session, 'paid');
    const first = await deliver(t.app, completed);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true, outcome: 'applied' });
    const again = await deliver(t.app, completed);
    expect(again.body.outcome).toBe('duplicate');

    const after = await paidInvoice(portal, invoice.id);
    expect(after).toMatchObject({ status: 'paid', amountPaid: 16335, balanceDue: 0, creditAmount: 0, paidAt: '2026-11-28T12:00:00.000Z' });
    expect(await paymentRows(portal)).toEqual([
      { kind: 'payment', amount: 16335, applied_amount: 16335, method: 'card', source: 'stripe', external_id: session.payment_intent },
    ]);
    const events = (await t.as(portal).get(`/api/v1/invoices/${invoice.id}/events`)).body.data;
    expect(events.filter((e: { type: string }) => e.type === 'invoice.paid')).toEqual([
      expect.objectContaining({
        actor: { type: 'stripe', id: null },
        data: expect.objectContaining({ amount: 16335, paymentIntentId: session.payment_intent }),
      }),
    ]);

    const page = await supertest(t.app).get(`/i/${token}/paid?session_id=${session.id}`).set('Host', 'invoices.test');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Payment received');
    expect(page.text).toContain('163.35 USD');
    expect(page.text).not.toContain('<script');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    // The session of another invoice is not shown on this one's page.
    const other = await openInvoiceOnConnectedPortal(db, t, portal, account);
    expect((await supertest(t.app).get(`/i/${other.token}/paid?session_id=${session.id}`).set('Host', 'invoices.test')).status).toBe(404);
  });

  it('pays a buyer-chosen part when partial payments are allowed, and refuses bad amounts with nothing started', async () => {
    const portal = newPortalId();
    const account = acct();
    const { invoice, token } = await openInvoiceOnConnectedPortal(db, t, portal, account, { allowPartialPayments: true });
    const stripe = stripeFake(clock.now);
    for (const amount of ['abc', '0', '163.36', '1.001', '-5']) {
      const res = await pay(token, { amount });
      expect(res.status, amount).toBe(400);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    }
    expect(await db('stripe_checkout_sessions').where({ portal_id: portal })).toEqual([]);
    stripe.createsSessions(account);
    expect((await pay(token, { amount: '50.00' })).status).toBe(303);
    const session = stripe.onlySession();
    expect(session.amount_total).toBe(5000);
    await deliver(t.app, stripe.sessionCompleted(session, 'paid'));
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'open', amountPaid: 5000, balanceDue: 11335 });

    const fixed = await openInvoiceOnConnectedPortal(db, t, portal, account);
    const refused = await pay(fixed.token, { amount: '10.00' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('paid in full');
  });

  it('offers no online payment without a connected account, and for settled or unknown invoices', async () => {
    const portal = newPortalId();
    const { token, api, invoice } = await openInvoiceOnConnectedPortal(db, t, portal, acct());
    await db('portals').where({ id: portal }).update({ stripe_charges_enabled: false });
    const res = await pay(token);
    expect(res.status).toBe(409);
    expect(res.text).toContain('does not take online payments');
    await api.post(`/api/v1/invoices/${invoice.id}/payments`, { amount: 16335, method: 'bank_transfer' });
    await db('portals').where({ id: portal }).update({ stripe_charges_enabled: true });
    expect((await pay(token)).status).toBe(409);
    expect((await pay('x'.repeat(32))).status).toBe(404);
  });

  it('ACH: completed (unpaid) is pending with no payment; async success records it', async () => {
    const portal = newPortalId();
    const account = acct();
    const { invoice, token } = await openInvoiceOnConnectedPortal(db, t, portal, account);
    const stripe = stripeFake(clock.now);
    stripe.createsSessions(account);
    await pay(token);
    const session = stripe.onlySession();
    expect((await deliver(t.app, stripe.sessionCompleted(session, 'unpaid'))).body.outcome).toBe('applied');
    expect(await paymentRows(portal)).toEqual([]);
    expect((await supertest(t.app).get(`/i/${token}/paid?session_id=${session.id}`).set('Host', 'invoices.test')).text).toContain('Payment pending');
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'open', amountPaid: 0 });

    expect((await deliver(t.app, stripe.asyncSucceeded(session))).body.outcome).toBe('applied');
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'paid', amountPaid: 16335 });
    expect((await paymentRows(portal))[0]).toMatchObject({ method: 'ach', amount: 16335 });
  });

  it('ACH failure records nothing and marks the session failed', async () => {
    const portal = newPortalId();
    const account = acct();
    const { invoice, token } = await openInvoiceOnConnectedPortal(db, t, portal, account);
    const stripe = stripeFake(clock.now);
    stripe.createsSessions(account);
    await pay(token);
    const session = stripe.onlySession();
    await deliver(t.app, stripe.sessionCompleted(session, 'unpaid'));
    expect((await deliver(t.app, stripe.asyncFailed(session))).body.outcome).toBe('applied');
    expect(await paymentRows(portal)).toEqual([]);
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'open', amountPaid: 0 });
    expect(await db('stripe_checkout_sessions').where({ session_id: session.id }).first()).toMatchObject({ status: 'failed' });
    expect((await supertest(t.app).get(`/i/${token}/paid?session_id=${session.id}`).set('Host', 'invoices.test')).text).toContain('Payment failed');
  });

  it('ends right when events arrive out of order (async success before completed)', async () => {
    const portal = newPortalId();
    const account = acct();
    const { invoice, token } = await openInvoiceOnConnectedPortal(db, t, portal, account);
    const stripe = stripeFake(clock.now);
    stripe.createsSessions(account);
    await pay(token);
    const session = stripe.onlySession();
    await deliver(t.app, stripe.asyncSucceeded(session));
    expect((await deliver(t.app, stripe.sessionCompleted(session, 'unpaid'))).body.outcome).toBe('ignored');
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'paid', amountPaid: 16335 });
    expect(await db('stripe_checkout_sessions').where({ session_id: session.id }).first()).toMatchObject({ status: 'paid' });
    expect(await paymentRows(portal)).toHaveLength(1);
  });

  it('refuses a tampered, missing or foreign signature and changes nothing', async () => {
    const portal = newPortalId();
    const account = acct();
    const { invoice, token } = await openInvoiceOnConnectedPortal(db, t, portal, account);
    const stripe = stripeFake(clock.now);
    stripe.createsSessions(account);
    await pay(token);
    const event = stripe.sessionCompleted(stripe.onlySession(), 'paid');
    const signed = JSON.stringify(event);
    const tampered = signed.replace('"amount_total":16335', '"amount_total":99');
    const { stripeSignature } = await import('./fakes/stripe.js');
    expect((await deliver(t.app, event, { body: tampered, signature: stripeSignature(signed) })).status).toBe(400);
    expect((await deliver(t.app, event, { secret: 'whsec_someone_else' })).status).toBe(400);
    expect((await deliver(t.app, event, { signature: '' })).status).toBe(400);
    const stale = stripeSignature(signed, undefined, Math.floor(Date.now() / 1000) - 3600);
    expect((await deliver(t.app, event, { signature: stale })).status).toBe(400);
    expect(await paymentRows(portal)).toEqual([]);
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'open', amountPaid: 0 });
    // The genuine delivery still applies afterwards (nothing was claimed by the refused ones).
    expect((await deliver(t.app, event)).body.outcome).toBe('applied');
  });
});

describe('refunds and overpayment', () => {
  it('charge.refunded lowers amount paid and reopens the invoice; duplicates and older totals add nothing', async () => {
    const portal = newPortalId();
    const account = acct();
    const { invoice, token } = await openInvoiceOnConnectedPortal(db, t, portal, account);
    const stripe = stripeFake(clock.now);
    stripe.createsSessions(account);
    await pay(token);
    const session = stripe.onlySession();
    await deliver(t.app, stripe.sessionCompleted(session, 'paid'));
    const partial = stripe.chargeRefunded(session, 6335);
    expect((await deliver(t.app, partial)).body.outcome).toBe('applied');
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'open', amountPaid: 10000, balanceDue: 6335, paidAt: null });
    expect((await deliver(t.app, partial)).body.outcome).toBe('duplicate');
    // The full refund, then a late redelivery of an older total under a new event id.
    await deliver(t.app, stripe.chargeRefunded(session, 16335));
    expect((await deliver(t.app, stripe.chargeRefunded(session, 6335))).body.outcome).toBe('ignored');
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'open', amountPaid: 0 });
    const rows = await paymentRows(portal);
    expect(rows.map((r) => [r.kind, r.amount])).toEqual([
      ['payment', 16335],
      ['refund', 6335],
      ['refund', 10000],
    ]);
    const types = (await t.as(portal).get(`/api/v1/invoices/${invoice.id}/events`)).body.data.map((e: { type: string }) => e.type);
    expect(types.filter((x: string) => x === 'invoice.payment_refunded')).toHaveLength(2);
  });

  it('a refund arriving before its payment waits (409) and applies on redelivery', async () => {
    const portal = newPortalId();
    const account = acct();
    const { invoice, token } = await openInvoiceOnConnectedPortal(db, t, portal, account);
    const stripe = stripeFake(clock.now);
    stripe.createsSessions(account);
    await pay(token);
    const session = stripe.onlySession();
    const refund = stripe.chargeRefunded(session, 16335);
    expect((await deliver(t.app, refund)).status).toBe(409);
    await deliver(t.app, stripe.sessionCompleted(session, 'paid'));
    expect((await deliver(t.app, refund)).body.outcome).toBe('applied');
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'open', amountPaid: 0 });
  });

  it('two sessions both paid: both recorded, the excess kept as flagged credit, a refund of it leaves the invoice paid', async () => {
    const portal = newPortalId();
    const account = acct();
    const { invoice, token } = await openInvoiceOnConnectedPortal(db, t, portal, account, { allowPartialPayments: true });
    const stripe = stripeFake(clock.now);
    stripe.createsSessions(account, 2);
    await pay(token);
    await pay(token, { amount: '100.00' });
    const [full, part] = [...stripe.sessions.values()];
    await deliver(t.app, stripe.sessionCompleted(full!, 'paid'));
    expect((await deliver(t.app, stripe.sessionCompleted(part!, 'paid'))).body.outcome).toBe('applied');
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'paid', amountPaid: 16335, creditAmount: 10000 });
    expect((await paymentRows(portal)).map((r) => [r.amount, r.applied_amount])).toEqual([
      [16335, 16335],
      [10000, 0],
    ]);
    const events = (await t.as(portal).get(`/api/v1/invoices/${invoice.id}/events`)).body.data;
    expect(events.find((e: { type: string }) => e.type === 'invoice.credit_recorded')).toMatchObject({
      actor: { type: 'stripe' },
      data: { amount: 10000, reason: 'overpayment' },
    });
    await deliver(t.app, stripe.chargeRefunded(part!, 10000));
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'paid', amountPaid: 16335, creditAmount: 0 });
    // A partial refund of the applied payment: exports still reconcile payments to amount paid.
    await deliver(t.app, stripe.chargeRefunded(full!, 335));
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'open', amountPaid: 16000 });
    for (const format of ['csv', 'qbd-iif', 'json']) {
      const exported = await t.as(portal).get(`/api/v1/exports/${format}`);
      expect(exported.status, format).toBe(200);
    }
  });

  it('money paid after the seller voided the invoice is kept, all of it as credit', async () => {
    const portal = newPortalId();
    const account = acct();
    const { invoice, token, api } = await openInvoiceOnConnectedPortal(db, t, portal, account);
    const stripe = stripeFake(clock.now);
    stripe.createsSessions(account);
    await pay(token);
    expect((await api.post(`/api/v1/invoices/${invoice.id}/void`, { reason: 'Sent twice' })).status).toBe(200);
    expect((await deliver(t.app, stripe.sessionCompleted(stripe.onlySession(), 'paid'))).body.outcome).toBe('applied');
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'void', amountPaid: 0, creditAmount: 16335 });
    const events = (await api.get(`/api/v1/invoices/${invoice.id}/events`)).body.data;
    expect(events.find((e: { type: string }) => e.type === 'invoice.credit_recorded')).toMatchObject({ data: { amount: 16335, reason: 'invoice_void' } });
  });

  it('ACH failure before completed, and expiry, leave the session closed without a payment', async () => {
    const portal = newPortalId();
    const account = acct();
    const { invoice, token } = await openInvoiceOnConnectedPortal(db, t, portal, account, { allowPartialPayments: true });
    const stripe = stripeFake(clock.now);
    stripe.createsSessions(account, 2);
    await pay(token);
    await pay(token, { amount: '1.00' });
    const [ach, other] = [...stripe.sessions.values()];
    await deliver(t.app, stripe.asyncFailed(ach!));
    expect((await deliver(t.app, stripe.sessionCompleted(ach!, 'unpaid'))).body.outcome).toBe('ignored');
    await deliver(
      t.app,
      stripe.event('checkout.session.expired', account, {
        id: other!.id,
        object: 'checkout.session',
        amount_total: 100,
        currency: 'usd',
        payment_intent: null,
        payment_status: 'unpaid',
        status: 'expired',
      }),
    );
    const rows = await db('stripe_checkout_sessions').where({ portal_id: portal }).orderBy('created_at').select('status');
    expect(rows.map((r) => r.status).sort()).toEqual(['expired', 'failed']);
    expect(await paymentRows(portal)).toEqual([]);
    expect(await paidInvoice(portal, invoice.id)).toMatchObject({ status: 'open', amountPaid: 0 });
  });

  it('the database refuses refunds beyond what a payment paid', async () => {
    const portal = newPortalId();
    const account = acct();
    const { invoice, token } = await openInvoiceOnConnectedPortal(db, t, portal, account);
    const stripe = stripeFake(clock.now);
    stripe.createsSessions(account);
    await pay(token);
    await deliver(t.app, stripe.sessionCompleted(stripe.onlySession(), 'paid'));
    const payment = await db('payments').where({ portal_id: portal }).first();
    const refund = {
      portal_id: portal,
      invoice_id: invoice.id,
      kind: 'refund',
      refund_of: payment.id,
      currency: 'USD',
      method: 'other',
      received_on: '2026-11-28',
      source: 'stripe',
    };
    await expect(db('payments').insert({ ...refund, amount: 16336, applied_amount: 16336, external_id: 'x1' })).rejects.toThrow();
    await expect(db('payments').insert({ ...refund, amount: 5, applied_amount: 0, external_id: 'x2' })).rejects.toThrow(/exceed/);
  });
});
