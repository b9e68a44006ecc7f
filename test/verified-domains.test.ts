import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.js';
import { migrationConfig } from '../src/db/connect.js';
import { FakeDnsResolver } from './fakes/dns-resolver.js';
import { STRIPE_ENV, stripeFake } from './fakes/stripe.js';
import { newPortalId, testApp } from './helpers/app.js';
import { verifiedDomain } from './helpers/domains.js';
import { invoiceIn } from './helpers/invoices.js';
import { openInvoiceOnConnectedPortal } from './helpers/stripe.js';
import { useTestApp } from './helpers/use-test-app.js';

// Issue 13, finding 2: invoice domains are verified by a DNS TXT challenge and belong to one
// portal; the hosted page, its PDF and the pay routes answer on a custom domain only for its owner.

const dns = new FakeDnsResolver();
const t = useTestApp({ clock: '2026-11-28T12:00:00Z', env: { ...STRIPE_ENV, HOSTED_RATE_LIMIT_PER_MINUTE: '100000' }, offline: true, resolver: dns });
const { db, clock } = t;

/** A domain name no other test (or run on a shared database) uses. */
const uniqueDomain = (label = 'billing') => `${label}-${newPortalId()}.example.com`;

const onHost = (host: string) => ({
  page: (token: string) => supertest(t.app).get(`/i/${token}`).set('Host', host),
  pdf: (token: string) => supertest(t.app).get(`/i/${token}/invoice.pdf`).set('Host', host),
  pay: (token: string) => supertest(t.app).post(`/i/${token}/pay`).set('Host', host).type('form').send({}),
  paid: (token: string) =>
    supertest(t.app)
      .get(`/i/${token}/paid?session_id=cs_test_${'a'.repeat(20)}`)
      .set('Host', host),
});

function expectError(res: supertest.Response, status: number, code: string, path?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (path) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
}

async function domainRows(portalId: number) {
  return db('portal_domains').where({ portal_id: portalId }).orderBy('domain').select('domain', 'status', 'challenge_token', 'verified_at');
}

describe('adding a domain', () => {
  it('is pending with the TXT record to create; settings list only verified domains', async () => {
    const { portalId, api } = t.portal();
    const domain = uniqueDomain();
    const res = await api.post('/api/v1/settings/domains', { domain: domain.toUpperCase() });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      domain,
      status: 'pending',
      dnsRecord: { type: 'TXT', name: `_invoicing-challenge.${domain}`, value: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) },
      createdAt: '2026-11-28T12:00:00.000Z',
      verifiedAt: null,
    });
    // Adding it again answers the same row: the token a customer already published stays valid.
    const again = await api.post('/api/v1/settings/domains', { domain });
    expect(again.status).toBe(200);
    expect(again.body.dnsRecord.value).toBe(res.body.dnsRecord.value);
    expect((await api.get('/api/v1/settings/domains')).body).toEqual({ data: [res.body] });
    expect((await api.get('/api/v1/settings')).body.domains).toEqual([]);
    expect(await domainRows(portalId)).toHaveLength(1);
  });

  it.each([
    ['a URL', { domain: 'https://billing.example.com' }],
    ['a path', { domain: 'billing.example.com/x' }],
    ['an IP address', { domain: '10.0.0.1' }],
    ['no domain', {}],
    ['a label too long', { domain: `${'a'.repeat(64)}.example.com` }],
  ])('refuses %s with 400 naming domain, nothing stored', async (_name, body) => {
    const { portalId, api } = t.portal();
    expectError(await api.post('/api/v1/settings/domains', body), 400, 'validation_failed', 'domain');
    expect(await domainRows(portalId)).toEqual([]);
  });

  it('needs the settings permission to change domains, view to list them', async () => {
    const portalId = newPortalId();
    const viewer = t.as(portalId, ['invoices:read']);
    expectError(await viewer.post('/api/v1/settings/domains', { domain: uniqueDomain() }), 403, 'forbidden');
    expect((await viewer.get('/api/v1/settings/domains')).status).toBe(200);
  });
});

describe('verifying a domain', () => {
  it('verifies with the right token; no record, a wrong token or DNS down refuse clearly and change nothing', async () => {
    const { portalId, api } = t.portal();
    const domain = uniqueDomain();
    const added = (await api.post('/api/v1/settings/domains', { domain })).body;
    const name = `_invoicing-challenge.${domain}`;
    const verify = () => api.post(`/api/v1/settings/domains/${domain}/verify`);

    // NXDOMAIN / no TXT record.
    expectError(await verify(), 422, 'domain_not_verified', 'domain');
    // A record, but not ours (another portal's token, an old value).
    dns.set(name, ['some-other-value-0123456789abcdef']);
    expectError(await verify(), 422, 'domain_not_verified', 'domain');
    // The resolver does not answer: 503, try later.
    dns.down(name);
    expectError(await verify(), 503, 'dns_unavailable');
    expect(await domainRows(portalId)).toEqual([expect.objectContaining({ status: 'pending', verified_at: null })]);

    // The right token, among other TXT records at the name.
    clock.set('2026-11-28T13:00:00Z');
    dns.set(name, ['v=spf1 -all', added.dnsRecord.value]);
    const ok = await verify();
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ domain, status: 'verified', verifiedAt: '2026-11-28T13:00:00.000Z' });
    expect(dns.asked).toContain(name);
    expect((await api.get('/api/v1/settings')).body.domains).toEqual([domain]);
    // Again: unchanged, DNS not asked.
    dns.clear();
    expect((await verify()).body).toEqual(ok.body);
    expect(dns.asked).toEqual([]);
  });

  it('a domain the portal does not list is 404; a malformed one 400', async () => {
    const { api } = t.portal();
    expectError(await api.post(`/api/v1/settings/domains/${uniqueDomain()}/verify`), 404, 'not_found');
    expectError(await api.post('/api/v1/settings/domains/not_a_host/verify'), 400, 'validation_failed', 'domain');
  });

  it('without a resolver configured the service refuses (503), it never verifies blindly', async () => {
    const bare = testApp(db, { clock: clock.now });
    const portalId = newPortalId();
    const api = bare.as(portalId);
    const domain = uniqueDomain();
    expect((await api.post('/api/v1/settings/domains', { domain })).status).toBe(201);
    expectError(await api.post(`/api/v1/settings/domains/${domain}/verify`), 503, 'dns_unavailable');
    expect(await domainRows(portalId)).toEqual([expect.objectContaining({ status: 'pending' })]);
  });
});

describe("one portal cannot use another portal's domain", () => {
  it("A cannot verify, default to or serve invoices on B's verified domain", async () => {
    const shared = uniqueDomain('shared');
    const b = t.portal();
    await verifiedDomain(b.api, dns, shared);
    const a = t.portal();
    const added = await a.api.post('/api/v1/settings/domains', { domain: shared });
    expect(added.status).toBe(201);
    // Even with A's own token published (A controls DNS now, say), B holds it: 409, unchanged.
    dns.set(added.body.dnsRecord.name, [added.body.dnsRecord.value]);
    expectError(await a.api.post(`/api/v1/settings/domains/${shared}/verify`), 409, 'domain_taken', 'domain');
    expect(await domainRows(a.portalId)).toEqual([expect.objectContaining({ domain: shared, status: 'pending' })]);
    expect(await domainRows(b.portalId)).toEqual([expect.objectContaining({ domain: shared, status: 'verified' })]);

    // A may not make it its default or put it on an invoice.
    expectError(await a.api.put('/api/v1/settings', { defaultDomain: shared }), 400, 'validation_failed', 'defaultDomain');
    expectError(await a.api.post('/api/v1/invoices', { currency: 'USD', domain: shared }), 400, 'validation_failed', 'domain');

    // A's invoice is not served on B's domain (the same 404 as an unknown token); B's is.
    const aInvoice = await invoiceIn(a.api, 'open');
    const bInvoice = await invoiceIn(b.api, 'open', { domain: shared });
    expect(bInvoice.hostedUrl).toBe(`https://${shared}/i/${bInvoice.token}`);
    const unknown = await onHost(shared).page('A'.repeat(32));
    expect(unknown.status).toBe(404);
    const foreign = await onHost(shared).page(aInvoice.token);
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(unknown.text);
    expect((await onHost(shared).pdf(aInvoice.token)).status).toBe(404);
    expect((await onHost(shared).page(bInvoice.token)).status).toBe(200);
    expect((await onHost(shared.toUpperCase() + '.').page(bInvoice.token)).status).toBe(200);
    expect((await onHost('invoices.test').page(aInvoice.token)).status).toBe(200);
  });

  it('the database refuses a second verified owner of a domain', async () => {
    const shared = uniqueDomain('race');
    const b = t.portal();
    await verifiedDomain(b.api, dns, shared);
    const a = t.portal();
    await a.api.post('/api/v1/settings/domains', { domain: shared });
    await expect(db('portal_domains').where({ portal_id: a.portalId, domain: shared }).update({ status: 'verified', verified_at: new Date() })).rejects.toThrow(
      /portal_domains_one_verified_owner|duplicate key/,
    );
    // ... and a portal listing the same domain twice, or an upper-case one.
    await expect(db('portal_domains').insert({ portal_id: a.portalId, domain: shared, challenge_token: 'x'.repeat(32) })).rejects.toThrow(
      /duplicate key|portal_domains_pkey/,
    );
    await expect(db('portal_domains').insert({ portal_id: a.portalId, domain: 'UPPER.example.com', challenge_token: 'x'.repeat(32) })).rejects.toThrow(
      /check constraint/,
    );
  });
});

describe('pending and unknown domains serve nothing', () => {
  it('page, PDF, pay and paid on a pending domain, another portal domain or an unknown host are 404; Stripe is never called', async () => {
    const portal = newPortalId();
    const account = `acct_${portal}`;
    const { api, token } = await openInvoiceOnConnectedPortal(db, t, portal, account);
    const pending = uniqueDomain('pending');
    expect((await api.post('/api/v1/settings/domains', { domain: pending })).status).toBe(201);
    const other = t.portal();
    const otherDomain = uniqueDomain('other');
    await verifiedDomain(other.api, dns, otherDomain);

    const stripe = stripeFake(clock.now);
    for (const host of [pending, otherDomain, 'evil.example.net']) {
      const routes = onHost(host);
      const answers = { page: await routes.page(token), pdf: await routes.pdf(token), pay: await routes.pay(token), paid: await routes.paid(token) };
      for (const [route, res] of Object.entries(answers)) expect(res.status, `${route} on ${host}`).toBe(404);
    }
    // The pay route's 404 on a foreign host is the one an unknown token gets.
    const unknownToken = 'B'.repeat(32);
    const same = (text: string) => text.replaceAll(token, unknownToken);
    expect(same((await onHost('evil.example.net').pay(token)).text)).toBe((await onHost('invoices.test').pay(unknownToken)).text);
    expect(same((await onHost('evil.example.net').paid(token)).text)).toBe((await onHost('invoices.test').paid(unknownToken)).text);
    expect(stripe.sessions.size).toBe(0);

    // Once verified, the same routes answer there.
    const added = (await api.get('/api/v1/settings/domains')).body.data[0];
    dns.set(added.dnsRecord.name, [added.dnsRecord.value]);
    expect((await api.post(`/api/v1/settings/domains/${pending}/verify`)).status).toBe(200);
    expect((await onHost(pending).page(token)).status).toBe(200);
    expect((await onHost(pending).pdf(token)).status).toBe(200);
    stripe.createsSessions(account);
    expect((await onHost(pending).pay(token)).status).toBe(303);
  });
});

describe('the default domain', () => {
  it('must be verified; the default cannot be deleted; other domains can', async () => {
    const { portalId, api } = t.portal();
    const domain = uniqueDomain();
    await api.post('/api/v1/settings/domains', { domain });
    expectError(await api.put('/api/v1/settings', { defaultDomain: domain }), 400, 'validation_failed', 'defaultDomain');
    expectError(await api.post('/api/v1/invoices', { currency: 'USD', domain }), 400, 'validation_failed', 'domain');

    const added = (await api.get('/api/v1/settings/domains')).body.data[0];
    dns.set(added.dnsRecord.name, [added.dnsRecord.value]);
    expect((await api.post(`/api/v1/settings/domains/${domain}/verify`)).status).toBe(200);
    const saved = await api.put('/api/v1/settings', { defaultDomain: domain });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ domains: [domain], defaultDomain: domain });
    const inv = await invoiceIn(api, 'open');
    expect(inv.hostedUrl).toBe(`https://${domain}/i/${inv.token}`);

    expectError(await api.delete(`/api/v1/settings/domains/${domain}`), 409, 'domain_in_use', 'defaultDomain');
    expect((await api.put('/api/v1/settings', { defaultDomain: null })).status).toBe(200);
    expect((await api.delete(`/api/v1/settings/domains/${domain}`)).status).toBe(204);
    expect(await domainRows(portalId)).toEqual([]);
    expectError(await api.delete(`/api/v1/settings/domains/${domain}`), 404, 'not_found');
    // Deleted: the page no longer answers there (the service origin still does).
    expect((await onHost(domain).page(inv.token)).status).toBe(404);
    expect((await onHost('invoices.test').page(inv.token)).status).toBe(200);
  });

  it('settings domains are read-only: sending back what was read works, a change is 400 naming domains', async () => {
    const { api } = t.portal();
    const domain = uniqueDomain();
    await verifiedDomain(api, dns, domain);
    const read = (await api.get('/api/v1/settings')).body;
    expect((await api.put('/api/v1/settings', { domains: read.domains, numberPrefix: 'INV' })).status).toBe(200);
    expectError(await api.put('/api/v1/settings', { domains: [...read.domains, uniqueDomain()] }), 400, 'validation_failed', 'domains');
    expectError(await api.put('/api/v1/settings', { domains: [] }), 400, 'validation_failed', 'domains');
  });
});

describe('the migration', () => {
  it('moves the domains of settings into portal_domains as pending and clears the default', async () => {
    // Its own in-memory database, migrated step by step up to this migration.
    const mem = connect({ memory: true });
    try {
      const target = '20261202000020_create_portal_domains.ts';
      const [, pending] = (await mem.migrate.list(migrationConfig())) as [unknown[], Array<{ file: string } | string>];
      const names = pending.map((p) => (typeof p === 'string' ? p : p.file));
      expect(names).toContain(target);
      for (const name of names.slice(0, names.indexOf(target))) {
        expect(name).not.toBe(target);
        await mem.migrate.up(migrationConfig());
      }
      await mem('portals').insert({ id: 7 });
      await mem('portal_settings').insert({
        portal_id: 7,
        time_zone: 'UTC',
        domains: JSON.stringify(['Billing.Example.com', 'pay.example.org']),
        default_domain: 'pay.example.org',
      });
      await mem.migrate.up(migrationConfig());
      const rows = await mem('portal_domains').orderBy('domain').select('portal_id', 'domain', 'status', 'challenge_token');
      expect(rows).toEqual([
        { portal_id: 7, domain: 'billing.example.com', status: 'pending', challenge_token: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { portal_id: 7, domain: 'pay.example.org', status: 'pending', challenge_token: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ]);
      expect(rows[0].challenge_token).not.toBe(rows[1].challenge_token);
      expect((await mem('portal_settings').where({ portal_id: 7 }).first()).default_domain).toBeNull();
    } finally {
      await mem.destroy();
    }
  }, 180_000);
});
