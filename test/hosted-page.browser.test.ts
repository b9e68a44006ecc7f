/**
 * The hosted page in a real browser: Debian's chromium driven by playwright-core (headless,
 * --no-sandbox). What a buyer sees on a desktop and on a phone, that the page's one stylesheet is
 * allowed by its CSP (no violations), that the PDF link serves a PDF, and that Pay posts the form
 * and follows the redirect to checkout.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Knex } from 'knex';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { hostedRouter } from '../src/http/hosted/index.js';
import { openTestDb } from './helpers/db.js';
import { newPortalId, testApp } from './helpers/app.js';
import { finalizedInvoice } from './helpers/hosted.js';

let db: Knex;
let browser: Browser;
let server: Server;
let origin: string;
let t: ReturnType<typeof testApp>;

beforeAll(async () => {
  db = await openTestDb();
  // Listen first: the app's public origin (where it answers /i) is the ephemeral port.
  let handler: express.Express | undefined;
  server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = testApp(db, { env: { PUBLIC_BASE_URL: origin } });
  // Stand-in for the Stripe branch: the pay form is offered, and POST /i/:token/pay answers like
  // the real route (303 to Checkout), here to a fake checkout page on the same origin.
  const outer = express();
  outer.use('/i', hostedRouter(t.deps, { paymentsAvailable: async (portalId) => payingPortals.has(portalId) }));
  outer.post('/i/:token/pay', (req, res) => {
    res.redirect(303, `/fake-stripe/checkout/cs_test_${req.params.token.slice(0, 6)}`);
  });
  outer.get('/fake-stripe/checkout/:session', (req, res) => {
    res.type('html').send(`<!doctype html><title>Fake Stripe Checkout</title><h1>Checkout ${req.params.session}</h1>`);
  });
  outer.use(createApp(t.deps));
  handler = outer;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await db?.destroy();
});

const payingPortals = new Set<number>();

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
    const inv = await finalizedInvoice(api, { buyerComments: '<script>alert(1)</script>' });
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
    const inv = await finalizedInvoice(api, {
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

  it('clicking Pay posts the form and lands on the (faked) Stripe Checkout', async () => {
    const portal = newPortalId();
    payingPortals.add(portal);
    const inv = await finalizedInvoice(t.as(portal));
    const page = await browser.newPage();
    const errors = await open(page, inv.hostedUrl);
    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(/\/fake-stripe\/checkout\/cs_test_/);
    expect(await page.locator('h1').innerText()).toContain('Checkout cs_test_');
    expect(errors).toEqual([]);
    await page.close();
  });
});
