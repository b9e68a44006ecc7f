import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { hostedRouter } from '../src/http/hosted/index.js';
import { HOSTED_CSS_HASH } from '../src/http/hosted/styles.js';
import { newPortalId, testApp } from './helpers/app.js';
import { draftBody } from './helpers/factories.js';
import { invoiceIn } from './helpers/invoices.js';
import { useTestApp } from './helpers/use-test-app.js';
import { verifiedDomain } from './helpers/domains.js';
import { FakeDnsResolver } from './fakes/dns-resolver.js';

const dns = new FakeDnsResolver();
const t = useTestApp({ clock: '2026-11-28T12:00:00Z', env: { HOSTED_RATE_LIMIT_PER_MINUTE: '100000' }, resolver: dns });
const { db, clock } = t;
const HOST = 'invoices.test';

const page = (path: string, host = HOST, app = t.app) => supertest(app).get(path).set('Host', host);
const XSS = '<script>alert(1)</script>"onload=';

describe('hosted invoice page', () => {
  it('shows the buyer the seller brand from the snapshot, the invoice, totals and a PDF link', async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    await api.put('/api/v1/settings', {
      brand: {
        logoUrl: 'https://cdn.example.com/logo.png',
        name: 'Seller BV',
        address: { line1: 'Keizersgracht 1', city: 'Amsterdam', postalCode: '1015 AA', country: 'NL' },
      },
    });
    const inv = await invoiceIn(api, 'open', {
      buyerComments: 'Thank you!\nSecond line',
      adjustments: [{ kind: 'fee', label: 'Shipping', type: 'amount', value: '500' }],
    });
    // A later brand change does not alter the issued invoice.
    await api.put('/api/v1/settings', { brand: { logoUrl: 'https://cdn.example.com/new.png', name: 'Renamed Ltd' } });

    const res = await page(`/i/${inv.token}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    const text = res.text;
    expect(text).toContain('Seller BV');
    expect(text).not.toContain('Renamed Ltd');
    expect(text).toContain('src="https://cdn.example.com/logo.png"');
    expect(text).toContain('Keizersgracht 1');
    expect(text).toContain(`Invoice ${inv.number}`);
    expect(text).toContain('Ada Buyer');
    expect(text).toContain('Example BV');
    expect(text).toContain('Onboarding');
    expect(text).toContain('Shipping');
    expect(text).toContain('Thank you!\nSecond line');
    // No buyer country: the seller's (NL) decides number formats. 163.35 + 5.00 shipping.
    expect(text).toContain('US$\u00a0168,35');
    expect(text).toMatch(/<dt>Invoice date<\/dt><dd>28 nov 2026<\/dd>/);
    expect(text).toContain(`href="/i/${inv.token}/invoice.pdf"`);
    expect(text).toContain('status-open');
    // Online payments are not available (no Stripe): the page says how to pay instead.
    expect(text).not.toContain('<form');
    expect(text).toContain('To pay this invoice, contact Seller BV, Keizersgracht 1, 1015 AA Amsterdam, NL.');
    expect(text).not.toMatch(/<script/i);
  });

  it('sends a strict CSP without inline script and private, non-referring headers', async () => {
    const inv = await invoiceIn(t.as(newPortalId()), 'open');
    const res = await page(`/i/${inv.token}`);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src ${HOSTED_CSS_HASH}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('shows no empty seller box when the portal has not set its brand', async () => {
    const inv = await invoiceIn(t.as(newPortalId()), 'open');
    const res = await page(`/i/${inv.token}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('class="seller"');
    expect(res.text).toContain('contact the seller');
  });

  it('escapes every text: line names, buyer comments, brand, buyer', async () => {
    const api = t.as(newPortalId());
    await api.put('/api/v1/settings', { brand: { name: `Brand ${XSS}`, address: { line1: XSS } } });
    const inv = await invoiceIn(api, 'open', {
      lineItems: [{ name: `Item ${XSS}`, description: XSS, sku: 'S<1>', quantity: '1', unitPrice: 100 }],
      buyerComments: `Note ${XSS}`,
      billTo: { name: `Buyer ${XSS}`, email: 'ada@example.com', companyName: XSS },
    });
    const res = await page(`/i/${inv.token}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>');
    expect(res.text).not.toContain('"onload=');
    expect(res.text).toContain('Item &lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=');
    expect(res.text).toContain('Note &lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=');
    expect(res.text).toContain('Brand &lt;script&gt;');
    expect(res.text).toContain('Buyer &lt;script&gt;');
    expect(res.text).toContain('SKU S&lt;1&gt;');
  });

  it('answers only on a verified domain of the portal or the public origin; elsewhere the same 404', async () => {
    const portalId = newPortalId();
    const api = t.as(portalId);
    const billing = `billing-${portalId}.example.com`;
    const pay = `pay-${portalId}.example.org`;
    await verifiedDomain(api, dns, billing);
    await verifiedDomain(api, dns, pay);
    const inv = await invoiceIn(api, 'open', { domain: billing });
    expect(inv.hostedUrl).toBe(`https://${billing}/i/${inv.token}`);
    expect((await page(`/i/${inv.token}`, billing)).status).toBe(200);
    expect((await page(`/i/${inv.token}`, `${billing.toUpperCase()}.`)).status).toBe(200);
    expect((await page(`/i/${inv.token}`, pay)).status).toBe(200);
    expect((await page(`/i/${inv.token}`, 'invoices.test:8443')).status).toBe(200);
    const elsewhere = await page(`/i/${inv.token}`, 'evil.example.net');
    const unknown = await page(`/i/${'A'.repeat(32)}`);
    const malformed = await page('/i/not-a-token');
    for (const res of [elsewhere, unknown, malformed]) {
      expect(res.status).toBe(404);
      expect(res.text).toBe(unknown.text);
      expect(res.headers['content-security-policy']).toContain("script-src 'none'");
    }
    expect(unknown.text).toContain('Invoice not found');
    expect((await page(`/i/${inv.token}/invoice.pdf`, 'evil.example.net')).status).toBe(404);
  });

  it('has no public page for drafts', async () => {
    const api = t.as(newPortalId());
    const draft = (await api.post('/api/v1/invoices', draftBody())).body;
    const row = await db('invoices').where({ id: draft.id }).first();
    expect(row.public_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await page(`/i/${row.public_token}`)).status).toBe(404);
    expect((await page(`/i/${row.public_token}/invoice.pdf`)).status).toBe(404);
  });

  it('shows partially paid, past due with days, paid, and void (marked VOID, no payment section)', async () => {
    const api = t.as(newPortalId());
    const inv = await invoiceIn(api, 'partly_paid', {}, { payment: { amount: 6335, method: 'bank_transfer' } });
    let res = await page(`/i/${inv.token}`);
    expect(res.text).toContain('status-partially_paid');
    expect(res.text).toContain('Partially paid');
    expect(res.text).toContain('<p class="due" id="balance">$100.00</p>');
    expect(res.text).toContain('<dt>Amount paid</dt><dd>$63.35</dd>');

    clock.set('2027-01-02T12:00:00Z'); // due 2026-12-28
    try {
      res = await page(`/i/${inv.token}`);
      expect(res.text).toContain('status-past_due');
      expect(res.text).toContain('Partially paid, past due (5 days)');
    } finally {
      clock.set('2026-11-28T12:00:00Z');
    }

    await api.post(`/api/v1/invoices/${inv.id}/payments`, { amount: 10000, method: 'check' });
    res = await page(`/i/${inv.token}`);
    expect(res.text).toContain('status-paid');
    expect(res.text).not.toContain('To pay this invoice');

    const other = await invoiceIn(api, 'void', {}, { voidReason: 'Wrong customer' });
    res = await page(`/i/${other.token}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<div class="void-mark">VOID</div>');
    expect(res.text).not.toContain('To pay this invoice');
    expect(res.text).not.toContain('id="balance"');
  });

  it('renders the pay form iff open with a balance and online payments are available', async () => {
    const app = express();
    app.use('/i', hostedRouter(t.deps, { paymentsAvailable: async () => true }));
    app.use(createApp(t.deps));
    const api = t.as(newPortalId());
    const full = await invoiceIn(api, 'open');
    let res = await page(`/i/${full.token}`, HOST, app);
    expect(res.text).toContain(`<form class="pay" method="post" action="/i/${full.token}/pay">`);
    expect(res.text).toContain('<button type="submit">Pay $163.35</button>');
    expect(res.text).not.toContain('name="amount"');

    const partial = await invoiceIn(api, 'open', { allowPartialPayments: true });
    res = await page(`/i/${partial.token}?cancelled=1`, HOST, app);
    expect(res.text).toContain('name="amount"');
    expect(res.text).toContain('value="163.35"');
    expect(res.text).toContain('pattern="[0-9]+([.][0-9]{1,2})?"');
    expect(res.text).toContain('The payment was cancelled');

    await api.post(`/api/v1/invoices/${full.id}/payments`, { amount: 16335, method: 'check' });
    expect((await page(`/i/${full.token}`, HOST, app)).text).not.toContain('<form');
  });
});

describe('hosted rate limit', () => {
  it('answers 429 with Retry-After once a client IP used its per-minute budget', async () => {
    const limited = testApp(db, { clock: clock.now, env: { HOSTED_RATE_LIMIT_PER_MINUTE: '3' } });
    const inv = await invoiceIn(limited.as(newPortalId()), 'open');
    for (let i = 0; i < 3; i++) expect((await page(`/i/${inv.token}`, HOST, limited.app)).status).toBe(200);
    const res = await page(`/i/${inv.token}`, HOST, limited.app);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(20);
    // Only /i is limited: the API still answers.
    expect((await limited.as(newPortalId()).get('/api/v1/settings')).status).toBe(200);
  });
});
