/**
 * The hosted page in a real browser: Debian's chromium driven by playwright-core (headless,
 * --no-sandbox). What a buyer sees on a desktop and on a phone, that the page's one stylesheet is
 * allowed by its CSP (no violations), that the PDF link serves a PDF, and online payment end to
 * end: the app runs with its Stripe configuration, the Pay button shows only on an open invoice
 * of a portal whose Stripe account is connected, and clicking it goes through the real pay route,
 * whose Checkout Session request is answered by the nock Stripe fake (test/fakes/stripe.ts). The
 * fake's session URLs point at a tiny checkout page served on the test server's own origin, so the
 * browser never leaves the machine (and the CSP's form-action 'self' covers the redirect).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Knex } from 'knex';
import nock from 'nock';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STRIPE_ENV, stripeFake } from './fakes/stripe.js';
import { openTestDb } from './helpers/db.js';
import { newPortalId, testApp } from './helpers/app.js';
import { invoiceIn } from './helpers/invoices.js';
import { openInvoiceOnConnectedPortal } from './helpers/stripe.js';

let db: Knex;
let browser: Browser;
let server: Server;
let origin: string;
let t: ReturnType<typeof testApp>;

/** Where the fake's Checkout Sessions send the buyer: a page of the test server, not Stripe's. */
const FAKE_CHECKOUT_PATH = '/fake-stripe/checkout';

beforeAll(async () => {
  db = await openTestDb();
  // Listen first: the app's public origin (where it answers /i) is the ephemeral port.
  let handler: express.Express | undefined;
  server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = testApp(db, { env: { ...STRIPE_ENV, PUBLIC_BASE_URL: origin } });
  const outer = express();
  outer.get(`${FAKE_CHECKOUT_PATH}/:session`, (req, res) => {
    res.type('html').send(`<!doctype html><title>Fake Stripe Checkout</title><h1>Checkout ${req.params.session}</h1>`);
  });
  outer.use(t.app);
  handler = outer;
  // Stripe is the nock fake; the browser, its server and the database stay reachable.
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
});

afterEach(() => {
  nock.cleanAll();
});

afterAll(async () => {
  nock.enableNetConnect();
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await db?.destroy();
});

/**
 * Opens `url` and collects console errors (CSP violations are reported there) and failed
 * responses, except the browser's own favicon probe.
 */
async function open(page: Page, url: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(msg.text());
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) errors.push(`${res.status()} ${res.url()}`);
  });
  const res = await page.goto(url);
  expect(res?.status()).toBe(200);
  return errors;
}

describe('hosted page in chromium', () => {
  it('shows a buyer the seller, number, total and balance; the PDF link serves a PDF', async () => {
    const api = t.as(newPortalId());
    await api.put('/api/v1/settings', { brand: { name: 'Seller BV', address: { line1: 'Main Street 1', city: 'Springfield', country: 'US' } } });
    const inv = await invoiceIn(api, 'open', { buyerComments: '<script>alert(1)</script>' });
    await api.post(`/api/v1/invoices/${inv.id}/payments`, { amount: 6335, method: 'bank_transfer' });
    expect(inv.hostedUrl.startsWith(`${origin}/i/`)).toBe(true);

    const page = await browser.newPage();
    let dialogs = 0;
    page.on('dialog', async (d) => {
      dialogs++;
      await d.dismiss();
    });
    const errors = await open(page, inv.hostedUrl);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Seller BV');
    expect(text).toContain(`Invoice ${inv.number}`);
    expect(text).toContain('$163.35');
    expect(await page.locator('#balance').innerText()).toBe('$100.00');
    expect(text).toContain('Partially paid');
    expect(text).toContain('<script>alert(1)</script>'); // shown as text, never run
    expect(dialogs).toBe(0);
    // The stylesheet applied (allowed by its hash) and nothing was blocked.
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(244, 246, 248)');
    expect(errors).toEqual([]);

    const href = await page.locator('a.pdf').getAttribute('href');
    const pdf = await page.request.get(new URL(href!, page.url()).href);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('fits a phone screen without horizontal scrolling, even with long names', async () => {
    const api = t.as(newPortalId());
    const inv = await invoiceIn(api, 'open', {
      lineItems: [
        { name: 'A very long line item name that goes on and on '.repeat(3), quantity: '1234.5', unitPrice: 123456789, taxRate: '21' },
        { name: 'Unbroken'.repeat(20), quantity: '1', unitPrice: 100 },
      ],
      billTo: { name: 'Ada Buyer', email: `${'a'.repeat(60)}@example.com` },
    });
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const errors = await open(page, inv.hostedUrl);
    // Browser-side code as strings: the test project is compiled without DOM types.
    const { scrollWidth, clientWidth } = (await page.evaluate(
      '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
    )) as { scrollWidth: number; clientWidth: number };
    const wide = await page.evaluate(`[...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth || e.scrollWidth > e.clientWidth + 1)
      .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`);
    expect(wide).toEqual([]);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    // The folded quantity x price line is what a phone shows instead of the wide columns.
    expect(await page.locator('td .narrow').first().isVisible()).toBe(true);
    expect(await page.locator('th.wide').first().isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('offers Pay only on a connected portal; clicking it creates the Checkout Session and lands on it', async () => {
    // A portal without a Stripe account: no pay form, only how to pay the seller.
    const plain = await invoiceIn(t.as(newPortalId()), 'open');
    const plainPage = await browser.newPage();
    expect(await open(plainPage, plain.hostedUrl)).toEqual([]);
    expect(await plainPage.locator('form.pay').count()).toBe(0);
    expect(await plainPage.getByRole('button', { name: /^Pay/ }).count()).toBe(0);
    expect(await plainPage.locator('.how-to-pay').isVisible()).toBe(true);
    await plainPage.close();

    // A connected portal's open invoice, card only, partly paid by bank transfer: $100.00 due.
    const portal = newPortalId();
    const account = `acct_${portal}`;
    const { api, invoice, token } = await openInvoiceOnConnectedPortal(db, t, portal, account, { paymentMethods: ['card'] });
    expect((await api.post(`/api/v1/invoices/${invoice.id}/payments`, { amount: 6335, method: 'bank_transfer' })).status).toBe(201);
    const stripe = stripeFake(() => new Date(), { checkoutUrlBase: `${origin}${FAKE_CHECKOUT_PATH}` });
    stripe.createsSessions(account);

    const page = await browser.newPage();
    const errors = await open(page, invoice.hostedUrl);
    expect(await page.locator('#balance').innerText()).toBe('$100.00');
    expect(await page.locator('form.pay').getAttribute('action')).toBe(`/i/${token}/pay`);
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(new RegExp(`${FAKE_CHECKOUT_PATH}/cs_test_`));

    // The real pay route asked Stripe for exactly one session, on the seller's account.
    expect(stripe.isDone()).toBe(true);
    const session = stripe.onlySession();
    expect(page.url()).toBe(`${origin}${FAKE_CHECKOUT_PATH}/${session.id}`);
    expect(session.url).toBe(page.url());
    expect(await page.locator('h1').innerText()).toBe(`Checkout ${session.id}`);
    expect(session.account).toBe(account);
    expect(session.amount_total).toBe(10000);
    expect(session.currency).toBe('usd');
    expect(session.allowed_payment_method_types).toEqual(['card']);
    expect(session.metadata).toMatchObject({ portal_id: String(portal), invoice_id: invoice.id });
    expect(session.idempotencyKey).toMatch(/^invoice-checkout-[0-9a-f-]{36}$/);
    expect(session.success_url).toBe(`${invoice.hostedUrl}/paid?session_id={CHECKOUT_SESSION_ID}`);
    expect(session.cancel_url).toBe(`${invoice.hostedUrl}?cancelled=1`);
    expect(errors).toEqual([]);
    await page.close();
  });
});
