import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { newPortalId, type Api } from './helpers/app.js';
import { draftBody } from './helpers/factories.js';
import { useTestApp } from './helpers/use-test-app.js';
import { invoiceIn } from './helpers/invoices.js';
import { verifiedDomain } from './helpers/domains.js';
import { FakeDnsResolver } from './fakes/dns-resolver.js';

const dns = new FakeDnsResolver();
const t = useTestApp({ clock: '2026-11-28T12:00:00Z', resolver: dns });

/** Creates and finalizes a draft; returns its number. */
async function issue(api: Api): Promise<string> {
  return (await invoiceIn(api, 'open')).number;
}

async function settingsOf(api: Api) {
  const res = await api.get('/api/v1/settings');
  expect(res.status).toBe(200);
  return res.body;
}

/** Asserts the response is the docs/api.md error with `status`/`code` naming `path`, and that settings did not change. */
async function expectRefused(api: Api, body: object, status: number, code: string, path: string) {
  const before = await settingsOf(api);
  const res = await api.put('/api/v1/settings', body);
  expect(res.status, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(status);
  expect(res.body).toEqual({ error: { code, message: expect.any(String), details: expect.any(Array) } });
  expect(
    res.body.error.details.map((d: { path: string }) => d.path),
    JSON.stringify(res.body),
  ).toContain(path);
  expect(await settingsOf(api)).toEqual(before);
  return res;
}

describe('settings', () => {
  it('starts with the defaults', async () => {
    const api = t.as(newPortalId());
    const res = await api.get('/api/v1/settings');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      numberPrefix: 'INV',
      nextNumber: 1001,
      nextInvoiceNumber: 'INV-1001',
      timeZone: 'UTC',
      defaultCurrency: 'USD',
      defaultPaymentTerms: 'net_30',
      defaultPaymentMethods: ['card', 'ach'],
      allowPartialPayments: false,
      domains: [],
      defaultDomain: null,
      version: 1,
    });
  });

  it('changes prefix and next number, and the next finalize uses them', async () => {
    const api = t.as(newPortalId());
    const put = await api.put('/api/v1/settings', { numberPrefix: 'ACME', nextNumber: 5 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ numberPrefix: 'ACME', nextNumber: 5, nextInvoiceNumber: 'ACME-5', version: 2 });
    expect(await settingsOf(api)).toMatchObject({ numberPrefix: 'ACME', nextNumber: 5, nextInvoiceNumber: 'ACME-5' });
    expect(await issue(api)).toBe('ACME-5');
    expect(await issue(api)).toBe('ACME-6');
    expect(await settingsOf(api)).toMatchObject({ nextNumber: 7, nextInvoiceNumber: 'ACME-7' });
  });

  it('keeps fields that a PUT leaves out', async () => {
    const portalId = newPortalId();
    const api = t.as(portalId);
    // Domains are verified through /api/v1/settings/domains (test/verified-domains.test.ts).
    const domain = `billing-${portalId}.example.com`;
    await verifiedDomain(api, dns, domain);
    await api.put('/api/v1/settings', {
      numberPrefix: 'ACME',
      timeZone: 'Europe/Amsterdam',
      defaultDomain: domain,
    });
    const res = await api.put('/api/v1/settings', { defaultPaymentTerms: 'net_15' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      numberPrefix: 'ACME',
      nextNumber: 1001,
      timeZone: 'Europe/Amsterdam',
      defaultPaymentTerms: 'net_15',
      domains: [domain],
      defaultDomain: domain,
      version: 3,
    });
  });

  it('never hands out a used number again: lowering below an issued number is 422 number_already_used', async () => {
    const api = t.as(newPortalId());
    expect([await issue(api), await issue(api), await issue(api)]).toEqual(['INV-1001', 'INV-1002', 'INV-1003']);
    for (const nextNumber of [1, 1001, 1002, 1003]) {
      const res = await expectRefused(api, { nextNumber }, 422, 'number_already_used', 'nextNumber');
      expect(res.body.error.message).toContain('INV-1003');
    }
    expect(await settingsOf(api)).toMatchObject({ nextNumber: 1004, nextInvoiceNumber: 'INV-1004' });
    // Skipping ahead is fine, and so is coming back down to a number never issued.
    expect((await api.put('/api/v1/settings', { nextNumber: 2000 })).body.nextNumber).toBe(2000);
    expect((await api.put('/api/v1/settings', { nextNumber: 1004 })).body.nextNumber).toBe(1004);
    expect(await issue(api)).toBe('INV-1004');
  });

  it('refuses switching back to an old prefix below its highest issued number', async () => {
    const api = t.as(newPortalId());
    for (let i = 0; i < 3; i++) await issue(api); // INV-1001..INV-1003
    const acme = await api.put('/api/v1/settings', { numberPrefix: 'ACME', nextNumber: 1 });
    expect(acme.status).toBe(200);
    expect(await issue(api)).toBe('ACME-1');

    await expectRefused(api, { numberPrefix: 'INV', nextNumber: 1003 }, 422, 'number_already_used', 'nextNumber');
    // Switching the prefix alone keeps next number 2, far below INV-1003.
    await expectRefused(api, { numberPrefix: 'INV' }, 422, 'number_already_used', 'nextNumber');
    expect(await settingsOf(api)).toMatchObject({ numberPrefix: 'ACME', nextNumber: 2 });

    const back = await api.put('/api/v1/settings', { numberPrefix: 'INV', nextNumber: 1004 });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ numberPrefix: 'INV', nextNumber: 1004, nextInvoiceNumber: 'INV-1004' });
    expect(await issue(api)).toBe('INV-1004');
    // And ACME cannot go back to 1 either.
    await expectRefused(api, { numberPrefix: 'ACME', nextNumber: 1 }, 422, 'number_already_used', 'nextNumber');
    expect((await api.put('/api/v1/settings', { numberPrefix: 'ACME', nextNumber: 2 })).status).toBe(200);
  });

  it('counts voided invoices as issued numbers', async () => {
    const api = t.as(newPortalId());
    await invoiceIn(api, 'void', {}, { voidReason: 'mistake' });
    await expectRefused(api, { nextNumber: 1001 }, 422, 'number_already_used', 'nextNumber');
  });

  it('at the highest next number, finalize issues it or refuses with a 422 rule, never a 500', async () => {
    const api = t.as(newPortalId());
    const MAX = 999_999_999_999;
    const put = await api.put('/api/v1/settings', { nextNumber: MAX });
    expect(put.status).toBe(200);
    expect(put.body.nextInvoiceNumber).toBe(`INV-${MAX}`);
    for (let attempt = 0; attempt < 2; attempt++) {
      const draft = (await api.post('/api/v1/invoices', draftBody())).body;
      const before = await settingsOf(api);
      const fin = await api.post(`/api/v1/invoices/${draft.id}/finalize`);
      expect([200, 422], JSON.stringify(fin.body)).toContain(fin.status);
      if (fin.status === 200) {
        // Only the announced number itself can be issued, and only once.
        expect(attempt).toBe(0);
        expect(fin.body.number).toBe(`INV-${MAX}`);
        continue;
      }
      expect(fin.body).toEqual({ error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) } });
      expect((await api.get(`/api/v1/invoices/${draft.id}`)).body).toMatchObject({ status: 'draft', number: null, version: 1 });
      expect(await settingsOf(api)).toEqual(before);
    }
  });

  it("numbers are per portal: another portal's issued numbers do not block this one", async () => {
    const a = t.as(newPortalId());
    const b = t.as(newPortalId());
    await issue(a);
    await issue(a);
    expect((await b.put('/api/v1/settings', { nextNumber: 1001 })).status).toBe(200);
    expect(await issue(b)).toBe('INV-1001');
  });

  const INVALID: Array<{ name: string; body: Record<string, unknown>; path: string }> = [
    { name: 'an empty prefix', body: { numberPrefix: '' }, path: 'numberPrefix' },
    { name: 'a prefix with a space', body: { numberPrefix: 'A B' }, path: 'numberPrefix' },
    { name: 'a prefix of 21 characters', body: { numberPrefix: 'A'.repeat(21) }, path: 'numberPrefix' },
    { name: 'a prefix starting with a dash', body: { numberPrefix: '-INV' }, path: 'numberPrefix' },
    { name: 'a prefix with non-ASCII letters', body: { numberPrefix: 'FACTÜR' }, path: 'numberPrefix' },
    { name: 'a numeric prefix', body: { numberPrefix: 7 }, path: 'numberPrefix' },
    { name: 'next number 0', body: { nextNumber: 0 }, path: 'nextNumber' },
    { name: 'a negative next number', body: { nextNumber: -5 }, path: 'nextNumber' },
    { name: 'a fractional next number', body: { nextNumber: 1001.5 }, path: 'nextNumber' },
    { name: 'next number as a string', body: { nextNumber: '1001' }, path: 'nextNumber' },
    { name: 'next number past the maximum', body: { nextNumber: 1_000_000_000_000 }, path: 'nextNumber' },
    { name: 'an invalid time zone', body: { timeZone: 'Mars/Olympus_Mons' }, path: 'timeZone' },
    { name: 'a made-up time zone in a real region', body: { timeZone: 'Europe/Atlantis' }, path: 'timeZone' },
    { name: 'an unknown default currency', body: { defaultCurrency: 'XYZ' }, path: 'defaultCurrency' },
    { name: 'a lowercase default currency', body: { defaultCurrency: 'eur' }, path: 'defaultCurrency' },
    { name: 'unknown default payment terms', body: { defaultPaymentTerms: 'net_90' }, path: 'defaultPaymentTerms' },
    { name: 'a repeated default payment method', body: { defaultPaymentMethods: ['card', 'card'] }, path: 'defaultPaymentMethods' },
    { name: 'a default domain that is not a verified domain', body: { defaultDomain: 'billing.example.com' }, path: 'defaultDomain' },
    { name: 'a change of domains (read-only: added and verified under /settings/domains)', body: { domains: ['pay.example.com'] }, path: 'domains' },
    { name: 'a domain that is not a host name', body: { domains: ['https://billing.example.com'] }, path: 'domains[0]' },
    { name: 'an http logo URL', body: { brand: { logoUrl: 'http://example.com/logo.png' } }, path: 'brand.logoUrl' },
    { name: 'an unknown brand field', body: { brand: { colour: '#fff' } }, path: 'brand.colour' },
    { name: 'an unknown top-level field', body: { invoiceFooter: 'x' }, path: 'invoiceFooter' },
    { name: 'a NUL character in the brand name', body: { brand: { name: 'ACME\u0000' } }, path: 'brand.name' },
    { name: 'a NUL character in an accounting mapping key', body: { accountingMappings: { 'sales\u0000': '4000' } }, path: 'accountingMappings.sales\u0000' },
  ];
  for (const c of INVALID) {
    it(`refuses ${c.name} with 400 naming ${c.path}, changing nothing`, async () => {
      const api = t.as(newPortalId());
      await expectRefused(api, c.body, 400, 'validation_failed', c.path);
    });
  }

  it('keeps the default domain when domains are sent back unchanged, and refuses changing them here', async () => {
    const portalId = newPortalId();
    const api = t.as(portalId);
    const domain = `billing-${portalId}.example.com`;
    await verifiedDomain(api, dns, domain);
    expect((await api.put('/api/v1/settings', { domains: [domain], defaultDomain: domain })).status).toBe(200);
    await expectRefused(api, { domains: [] }, 400, 'validation_failed', 'domains');
    // Clearing the default is fine; the domain stays listed until deleted under /settings/domains.
    const res = await api.put('/api/v1/settings', { domains: [domain], defaultDomain: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ domains: [domain], defaultDomain: null });
  });

  it('refuses malformed JSON and a body over 1 MB, changing nothing', async () => {
    const api = t.as(newPortalId());
    const before = await settingsOf(api);
    const bad = await supertest(t.app)
      .put('/api/v1/settings')
      .set('Authorization', `Bearer ${api.token}`)
      .set('Content-Type', 'application/json')
      .send('{"numberPrefix": "ACME"');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'body' }] });
    const big = await api.put('/api/v1/settings', { accountingMappings: { blob: 'x'.repeat(1_100_000) } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    expect(await settingsOf(api)).toEqual(before);
  });

  it('requires the settings scope for PUT (403 forbidden), and invoices:read for GET', async () => {
    const portalId = newPortalId();
    const admin = t.as(portalId);
    const clerk = t.as(portalId, ['invoices:read', 'invoices:write', 'exports']);
    const before = await settingsOf(admin);
    const res = await clerk.put('/api/v1/settings', { numberPrefix: 'HACK' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'forbidden', message: expect.any(String), details: expect.any(Array) } });
    expect(await settingsOf(admin)).toEqual(before);
    expect((await clerk.get('/api/v1/settings')).status).toBe(200);

    const settingsOnly = t.as(portalId, ['settings']);
    expect((await settingsOnly.get('/api/v1/settings')).status).toBe(403);
    expect((await settingsOnly.put('/api/v1/settings', { numberPrefix: 'OK' })).status).toBe(200);
  });

  it('replays an idempotent PUT and refuses the key with another body', async () => {
    const api = t.as(newPortalId());
    const first = await api.put('/api/v1/settings', { numberPrefix: 'ACME' }).set('Idempotency-Key', 's-1');
    const again = await api.put('/api/v1/settings', { numberPrefix: 'ACME' }).set('Idempotency-Key', 's-1');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await settingsOf(api)).version).toBe(2);
    const other = await api.put('/api/v1/settings', { numberPrefix: 'OTHER' }).set('Idempotency-Key', 's-1');
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect((await settingsOf(api)).numberPrefix).toBe('ACME');
  });
});

describe('numbering guard in the database', () => {
  const portalRow = (portalId: number) =>
    t.deps.db('portal_settings').where({ portal_id: portalId }).first('number_prefix', 'next_number') as Promise<{
      number_prefix: string;
      next_number: number;
    }>;

  it('refuses a direct SQL update that lowers next_number to an issued number', async () => {
    const portalId = newPortalId();
    const api = t.as(portalId);
    for (let i = 0; i < 3; i++) await issue(api); // INV-1001..INV-1003
    for (const next of [1002, 1003]) {
      const err = await t.deps.db.raw('UPDATE portal_settings SET next_number = ? WHERE portal_id = ?', [next, portalId]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, `next_number = ${next}`).toBeInstanceOf(Error);
      expect(err).toMatchObject({ code: 'IV002' });
      expect(String((err as Error).message)).toMatch(/already issued/);
    }
    expect(await portalRow(portalId)).toEqual({ number_prefix: 'INV', next_number: 1004 });
    expect(await settingsOf(api)).toMatchObject({ nextNumber: 1004 });
    expect(await issue(api)).toBe('INV-1004');
  });

  it('refuses a direct SQL prefix switch back to a prefix whose numbers are used', async () => {
    const portalId = newPortalId();
    const api = t.as(portalId);
    await issue(api); // INV-1001
    await t.deps.db.raw(`UPDATE portal_settings SET number_prefix = 'ACME', next_number = 1 WHERE portal_id = ?`, [portalId]);
    await expect(t.deps.db.raw(`UPDATE portal_settings SET number_prefix = 'INV' WHERE portal_id = ?`, [portalId])).rejects.toMatchObject({ code: 'IV002' });
    await expect(t.deps.db.raw(`UPDATE portal_settings SET number_prefix = 'INV', next_number = 1001 WHERE portal_id = ?`, [portalId])).rejects.toThrow(
      /already issued/,
    );
    expect(await portalRow(portalId)).toEqual({ number_prefix: 'ACME', next_number: 1 });
    // Raising, or switching to a number past the highest, is allowed.
    await t.deps.db.raw(`UPDATE portal_settings SET number_prefix = 'INV', next_number = 1002 WHERE portal_id = ?`, [portalId]);
    expect(await issue(api)).toBe('INV-1002');
  });

  it('lets a direct SQL update lower next_number to a number never issued', async () => {
    const portalId = newPortalId();
    const api = t.as(portalId);
    await issue(api); // INV-1001
    await t.deps.db.raw('UPDATE portal_settings SET next_number = 5000 WHERE portal_id = ?', [portalId]);
    await t.deps.db.raw('UPDATE portal_settings SET next_number = 1002 WHERE portal_id = ?', [portalId]);
    expect(await portalRow(portalId)).toEqual({ number_prefix: 'INV', next_number: 1002 });
  });
});
