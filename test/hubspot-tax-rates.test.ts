import nock from 'nock';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../src/domain/errors.js';
import { HubSpotTaxRatesAdapter, percentText } from '../src/integrations/hubspot/tax-rates-adapter.js';
import { applyTaxRates, warningsStillApplying } from '../src/domain/crm-tax.js';
import type { CrmLineItem } from '../src/domain/crm.js';

const BASE = 'https://api.hubspot.test';
const TOKEN = 'test-access-token-tax-rates';
const PORTAL = 5151;

function setup(now = { ms: 1_000_000 }) {
  const adapter = new HubSpotTaxRatesAdapter({
    baseUrl: BASE,
    accessToken: async () => TOKEN,
    logger: pino({ level: 'silent' }),
    sleep: async () => {},
    maxRetries: 1,
    now: () => now.ms,
  });
  return { adapter, now };
}

const group = (id: string, percentageRate: number, active = true) => ({
  id,
  name: `Group ${id}`,
  label: `Tax ${percentageRate}%`,
  percentageRate,
  active,
  createdAt: '2025-01-06T09:00:00Z',
  updatedAt: '2025-01-06T09:00:00Z',
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe('HubSpotTaxRatesAdapter (tax rates API 2026-03)', () => {
  it('reads each group from the date-versioned path with the portal token, then from its per-portal cache until the TTL ends', async () => {
    const { adapter, now } = setup();
    nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get('/tax-rates/2026-03/tax-rates/301')
      .reply(200, group('301', 8.25))
      .get('/tax-rates/2026-03/tax-rates/302')
      .reply(200, group('302', 10, false));
    const first = await adapter.lookup(PORTAL, ['301', '302', '301']);
    expect(Object.fromEntries(first)).toEqual({
      '301': { status: 'found', rate: '8.25', name: 'Tax 8.25%', active: true },
      '302': { status: 'found', rate: '10', name: 'Tax 10%', active: false },
    });
    // Cached: no HTTP (nock would refuse the call).
    expect((await adapter.lookup(PORTAL, ['301'])).get('301')).toMatchObject({ rate: '8.25' });
    // Another portal has its own library.
    nock(BASE).get('/tax-rates/2026-03/tax-rates/301').reply(200, group('301', 21));
    expect((await adapter.lookup(PORTAL + 1, ['301'])).get('301')).toMatchObject({ rate: '21' });
    // After the TTL the rate is read again.
    now.ms += 10 * 60_000 + 1;
    nock(BASE).get('/tax-rates/2026-03/tax-rates/301').reply(200, group('301', 9));
    expect((await adapter.lookup(PORTAL, ['301'])).get('301')).toMatchObject({ rate: '9' });
  });

  it('404 -> not_found; 403 MISSING_SCOPES -> unavailable naming the scope (not cached); 5xx after retries -> upstream_error', async () => {
    const { adapter } = setup();
    nock(BASE).get('/tax-rates/2026-03/tax-rates/399').reply(404, { status: 'error', message: 'not found', category: 'OBJECT_NOT_FOUND' });
    expect((await adapter.lookup(PORTAL, ['399'])).get('399')).toEqual({ status: 'not_found' });
    nock(BASE).get('/tax-rates/2026-03/tax-rates/301').reply(403, { status: 'error', message: 'scopes', category: 'MISSING_SCOPES' });
    expect((await adapter.lookup(PORTAL, ['301'])).get('301')).toEqual({ status: 'unavailable', reason: expect.stringContaining('tax_rates.read') });
    nock(BASE).get('/tax-rates/2026-03/tax-rates/301').reply(200, group('301', 8.25));
    expect((await adapter.lookup(PORTAL, ['301'])).get('301')).toMatchObject({ status: 'found' });
    nock(BASE).get('/tax-rates/2026-03/tax-rates/500').times(2).reply(503, { status: 'error', message: 'down' });
    const err = await adapter.lookup(PORTAL, ['500']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('upstream_error');
  });

  it('refuses a body of the wrong shape as upstream_error, never a made-up rate', async () => {
    const { adapter } = setup();
    nock(BASE).get('/tax-rates/2026-03/tax-rates/301').reply(200, { id: '301', percentageRate: '8.25' });
    await expect(adapter.lookup(PORTAL, ['301'])).rejects.toMatchObject({ code: 'upstream_error' });
  });

  it('writes percent numbers as plain decimal strings', () => {
    expect([8.25, 10, 0, 7.125, 1e-7, 19.6].map(percentText)).toEqual(['8.25', '10', '0', '7.125', '0.0000001', '19.6']);
  });
});

describe('applyTaxRates / warningsStillApplying (domain)', () => {
  const line = (id: string, taxRateGroupId: string | null): CrmLineItem => ({
    id,
    name: `Line ${id}`,
    description: '',
    sku: null,
    quantity: '1',
    price: '10',
    discountPercent: null,
    discountAmount: null,
    taxRate: null,
    taxRateGroupId,
    productId: null,
    currency: null,
  });

  it('puts resolved rates on lines and a warning on every line whose group is missing, unavailable or inactive', () => {
    const { lines, warnings } = applyTaxRates(
      [line('1', '301'), line('2', null), line('3', '399'), line('4', '302'), line('5', '777')],
      new Map([
        ['301', { status: 'found', rate: '8.25', name: 'Sales', active: true }],
        ['399', { status: 'not_found' }],
        ['302', { status: 'found', rate: '5', name: 'Old', active: false }],
        ['777', { status: 'unavailable', reason: 'scope missing' }],
      ] as const),
    );
    expect(lines.map((l) => l.taxRate)).toEqual(['8.25', null, null, '5', null]);
    expect(warnings.map((w) => [w.code, w.hubspotLineItemId, w.taxRateGroupId])).toEqual([
      ['tax_rate_unresolved', '3', '399'],
      ['tax_rate_inactive', '4', '302'],
      ['tax_rate_unresolved', '5', '777'],
    ]);
    // A rate set by hand (or the line removed) ends an unresolved warning; the inactive one stays with its line.
    expect(
      warningsStillApplying(warnings, [
        { hubspotLineItemId: '3', taxRate: '8' },
        { hubspotLineItemId: '4', taxRate: '5' },
      ]).map((w) => w.hubspotLineItemId),
    ).toEqual(['4']);
  });
});
