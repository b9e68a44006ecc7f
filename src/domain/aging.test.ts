import { describe, expect, it } from 'vitest';
import { AGING_BUCKETS, agingBucket, agingReport, daysPastDueOn } from './aging.js';

describe('agingBucket', () => {
  it.each([
    [-400, 'current'],
    [-1, 'current'],
    [0, 'current'],
    [1, '1-30'],
    [30, '1-30'],
    [31, '31-60'],
    [60, '31-60'],
    [61, '61-90'],
    [90, '61-90'],
    [91, '90+'],
    [10_000, '90+'],
  ])('%i days past due -> %s', (days, bucket) => {
    expect(agingBucket(days)).toBe(bucket);
  });

  it('refuses a fractional day count', () => {
    expect(() => agingBucket(1.5)).toThrow(RangeError);
  });

  it('buckets cover every integer exactly once, in order', () => {
    expect(AGING_BUCKETS.map((b) => b.key)).toEqual(['current', '1-30', '31-60', '61-90', '90+']);
    for (let i = 1; i < AGING_BUCKETS.length; i++) expect(AGING_BUCKETS[i]!.min).toBe(AGING_BUCKETS[i - 1]!.max! + 1);
  });
});

describe('daysPastDueOn', () => {
  it('counts calendar days, across month and leap-day boundaries', () => {
    expect(daysPastDueOn('2026-11-28', '2026-11-28')).toBe(0);
    expect(daysPastDueOn('2026-11-28', '2026-11-27')).toBe(-1);
    expect(daysPastDueOn('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysPastDueOn('2026-10-25', '2026-10-26')).toBe(1); // DST change in Europe: still one day
  });
});

describe('agingReport (in memory)', () => {
  it('groups per currency and bucket, with totals, sorted by currency', () => {
    const rows = agingReport(
      [
        { currency: 'USD', dueDate: '2026-11-28', balance: 100 },
        { currency: 'USD', dueDate: '2026-10-29', balance: 50 },
        { currency: 'EUR', dueDate: '2026-08-29', balance: 7 },
      ],
      '2026-11-28',
    );
    expect(rows.map((r) => r.currency)).toEqual(['EUR', 'USD']);
    expect(rows[0]!.buckets['90+']).toEqual({ count: 1, balance: 7 });
    expect(rows[1]!.buckets.current).toEqual({ count: 1, balance: 100 });
    expect(rows[1]!.buckets['1-30']).toEqual({ count: 1, balance: 50 });
    expect(rows[1]!.total).toEqual({ count: 2, balance: 150 });
  });
});
