/**
 * The app home page's helpers (pages/lib): the saved-view form (filters, a minimum balance typed
 * in major units of a currency) and the aging chart rows.
 */
import { describe, expect, it } from 'vitest';
import { agingChartRows, BUCKET_LABELS, overdueOf } from '../src/app/pages/lib/aging';
import { describeFilters, emptyViewForm, viewFilters, type ViewForm } from '../src/app/pages/lib/view-form';
import { aging } from './fixtures';

const view = (over: Partial<ViewForm>): ViewForm => ({ ...emptyViewForm(), name: 'Mine', ...over });

describe('saved view filters', () => {
  it('saves a named view without filters as all invoices', () => {
    expect(viewFilters(view({}))).toEqual({ filters: {} });
    expect(describeFilters({})).toBe('all invoices');
  });

  it('takes every filter, trimmed, with the currency upper-cased', () => {
    expect(viewFilters(view({ status: 'open', currency: ' eur ', dueFrom: '2026-11-01', dueTo: '2026-11-30', minBalance: ' 1000.00 ', q: '  acme ' }))).toEqual(
      {
        filters: { status: 'open', currency: 'EUR', dueFrom: '2026-11-01', dueTo: '2026-11-30', minBalance: 100000, q: 'acme' },
      },
    );
    expect(describeFilters({ status: 'open', currency: 'EUR' })).toBe('status: open, currency: EUR');
  });

  it.each([
    ['USD', '0.01', 1],
    ['USD', '10', 1000],
    ['USD', '0.005', 1],
    ['JPY', '1000', 1000],
    ['JPY', '999.5', 1000],
    ['KWD', '1.2345', 1235],
    ['KWD', '0', 0],
  ])('a minimum balance in %s of %j is %i minor units', (currency, minBalance, minor) => {
    expect(viewFilters(view({ currency, minBalance }))).toEqual({ filters: { currency, minBalance: minor } });
  });

  it.each([['-5'], ['1,000.00'], ['abc'], ['.5'], ['1e3']])('refuses the minimum balance %j', (minBalance) => {
    expect(viewFilters(view({ currency: 'USD', minBalance }))).toEqual({ errors: { minBalance: 'Enter an amount like 1000.00.' } });
  });

  it('needs a name, a 3-letter currency, a currency for a balance, and dates in order', () => {
    expect(viewFilters(view({ name: '  ', currency: 'EURO', minBalance: '5', dueFrom: '2026-11-30', dueTo: '2026-11-01' }))).toEqual({
      errors: {
        name: 'Give the view a name.',
        currency: 'Enter a 3-letter ISO currency code such as USD.',
        minBalance: 'Pick a currency to filter by balance.',
        dueTo: '"Due until" cannot be before "due from".',
      },
    });
  });
});

describe('aging chart', () => {
  it('has one row per bucket in the report order, balances in major units', () => {
    expect(agingChartRows(aging, 'USD')).toEqual([
      { bucket: 'Not yet due', balance: 300, count: 2 },
      { bucket: '1-30 days', balance: 163.35, count: 1 },
      { bucket: '31-60 days', balance: 0, count: 0 },
      { bucket: '61-90 days', balance: 0, count: 0 },
      { bucket: 'Over 90 days', balance: 9.99, count: 1 },
    ]);
    expect(agingChartRows(aging, 'EUR').map((r) => r.balance)).toEqual([50, 0, 200.5, 0, 0]);
  });

  it('uses the currency decimals (JPY none, KWD three) and shows a bucket it has no label for by its key', () => {
    // Deliberately outside the typed contract: a bucket the cards have no label for, and a currency
    // row that holds one bucket only.
    type Report = Parameters<typeof agingChartRows>[0];
    const report = {
      ...aging,
      buckets: ['current', '365+'],
      data: [{ currency: 'JPY', buckets: { current: { count: 1, balance: 500 } }, total: { count: 1, balance: 500 } }],
    } as unknown as Report;
    expect(agingChartRows(report, 'JPY')).toEqual([
      { bucket: BUCKET_LABELS.current, balance: 500, count: 1 },
      { bucket: '365+', balance: 0, count: 0 },
    ]);
    const kwd = {
      ...aging,
      data: [{ currency: 'KWD', buckets: { current: { count: 1, balance: 1234 } }, total: { count: 1, balance: 1234 } }],
    } as unknown as Report;
    expect(agingChartRows(kwd, 'KWD')[0]!.balance).toBe(1.234);
  });

  it('has no rows for a currency the report does not hold', () => {
    expect(agingChartRows(aging, 'GBP')).toEqual([]);
    expect(overdueOf(aging, 'GBP')).toEqual({ count: 0, balance: 0 });
  });

  it('sums every bucket but current as overdue, in minor units', () => {
    expect(overdueOf(aging, 'USD')).toEqual({ count: 2, balance: 17334 });
    expect(overdueOf(aging, 'EUR')).toEqual({ count: 1, balance: 20050 });
  });
});
