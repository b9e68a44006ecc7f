import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isIsoDate, isTimeZone, monthOf, startOfDayIn, todayIn } from './dates.js';
import { DomainError } from './errors.js';
import { assertFinalizable, canTransition, pastDueOn } from './lifecycle.js';
import { assertValidPrefix, formatInvoiceNumber } from './numbering.js';
import { dueDateFor } from './payment-terms.js';

describe('lifecycle', () => {
  it('allows only draft->open->paid, open->void and a refund back to open', () => {
    expect(canTransition('draft', 'open')).toBe(true);
    expect(canTransition('open', 'paid')).toBe(true);
    expect(canTransition('open', 'void')).toBe(true);
    expect(canTransition('paid', 'open')).toBe(true);
    expect(canTransition('draft', 'paid')).toBe(false);
    expect(canTransition('void', 'open')).toBe(false);
    expect(canTransition('paid', 'void')).toBe(false);
    expect(canTransition('open', 'draft')).toBe(false);
  });

  it('derives past due from the due date, only for open invoices', () => {
    expect(pastDueOn({ status: 'open', dueDate: '2026-11-27' }, '2026-11-28')).toEqual({ pastDue: true, daysPastDue: 1 });
    expect(pastDueOn({ status: 'open', dueDate: '2026-11-28' }, '2026-11-28')).toEqual({ pastDue: false, daysPastDue: 0 });
    expect(pastDueOn({ status: 'paid', dueDate: '2026-01-01' }, '2026-11-28')).toEqual({ pastDue: false, daysPastDue: 0 });
    expect(pastDueOn({ status: 'open', dueDate: '2025-11-28' }, '2026-11-28').daysPastDue).toBe(365);
  });

  it('lists every reason a draft cannot be finalized', () => {
    const err = (() => {
      try {
        assertFinalizable({ status: 'draft', lineCount: 0, billTo: { name: 'A' }, total: 0 });
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(err?.code).toBe('invoice_not_finalizable');
    expect(err?.details.map((d) => d.path)).toEqual(['lineItems', 'billTo']);
    expect(() => assertFinalizable({ status: 'open', lineCount: 1, billTo: { name: 'A', email: 'a@b.c' }, total: 1 })).toThrow(/only drafts/);
    expect(() => assertFinalizable({ status: 'draft', lineCount: 1, billTo: { name: 'A', email: 'a@b.c' }, total: 0 })).not.toThrow();
  });
});

describe('payment terms', () => {
  it('sets the due date from the terms', () => {
    expect(dueDateFor('due_on_receipt', '2026-11-28')).toBe('2026-11-28');
    expect(dueDateFor('net_15', '2026-11-28')).toBe('2026-12-13');
    expect(dueDateFor('net_30', '2026-01-31')).toBe('2026-03-02');
    expect(dueDateFor('net_45', '2026-11-28')).toBe('2027-01-12');
    expect(dueDateFor('net_60', '2028-01-01')).toBe('2028-03-01');
    expect(dueDateFor('custom', '2026-11-28', '2026-12-24')).toBe('2026-12-24');
  });

  it('refuses a due date that contradicts the terms or comes before the invoice date', () => {
    expect(() => dueDateFor('net_30', '2026-11-28', '2026-12-01')).toThrow(/2026-12-28/);
    expect(() => dueDateFor('custom', '2026-11-28')).toThrow(/required/);
    expect(() => dueDateFor('custom', '2026-11-28', '2026-11-27')).toThrow(/before/);
  });
});

describe('dates', () => {
  it('checks calendar dates strictly', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-2-01')).toBe(false);
    expect(isIsoDate('2026-11-28T00:00:00Z')).toBe(false);
  });

  it('takes today in the portal time zone', () => {
    const instant = new Date('2026-11-28T23:30:00Z');
    expect(todayIn('UTC', instant)).toBe('2026-11-28');
    expect(todayIn('Europe/Amsterdam', instant)).toBe('2026-11-29');
    expect(todayIn('America/Los_Angeles', new Date('2026-11-29T07:59:00Z'))).toBe('2026-11-28');
  });

  it('finds the instant a date starts in a time zone, also on DST change days', () => {
    expect(startOfDayIn('2026-11-28', 'UTC')).toBe('2026-11-28T00:00:00.000Z');
    expect(startOfDayIn('2026-11-28', 'Europe/Amsterdam')).toBe('2026-11-27T23:00:00.000Z');
    expect(startOfDayIn('2026-07-01', 'Europe/Amsterdam')).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfDayIn('2026-03-08', 'America/Los_Angeles')).toBe('2026-03-08T08:00:00.000Z');
    expect(startOfDayIn('2026-11-28', 'Pacific/Auckland')).toBe('2026-11-27T11:00:00.000Z');
  });

  it('does calendar arithmetic across months, years and DST', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(monthOf('2028-02-10')).toEqual({ first: '2028-02-01', last: '2028-02-29' });
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('Mars/Base')).toBe(false);
  });
});

describe('numbering', () => {
  it('formats numbers and validates prefixes like the database does', () => {
    expect(formatInvoiceNumber('INV', 1001)).toBe('INV-1001');
    expect(() => assertValidPrefix('ACME-2026')).not.toThrow();
    for (const bad of ['', '-INV', 'A B', 'x'.repeat(21), 'INV€']) expect(() => assertValidPrefix(bad)).toThrow(DomainError);
  });
});
