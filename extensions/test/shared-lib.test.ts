/**
 * The cards' shared helpers (shared/lib): money and date display, the permissions a list grants,
 * and the option lists the draft editor and the settings page share.
 */
import { describe, expect, it } from 'vitest';
import { datePartsToIso, formatDate, formatMoney, isoToDateParts } from '@invoices/shared/lib/format';
import { DEFAULT_TERMS_OPTIONS, PAYMENT_METHOD_OPTIONS, PAYMENT_TERMS_OPTIONS } from '@invoices/shared/lib/options';
import { ALL_ALLOWED, PERMISSION_LABELS, permissionsOf } from '@invoices/shared/lib/permissions';
import { PERMISSIONS } from '@invoices/shared/lib/types';

describe('formatMoney', () => {
  it.each([
    [16335, 'USD', 'USD 163.35'],
    [5, 'USD', 'USD 0.05'],
    [0, 'USD', 'USD 0.00'],
    [-5, 'USD', 'USD -0.05'],
    [500, 'JPY', 'JPY 500'],
    [1234, 'KWD', 'KWD 1.234'],
    [7, 'KWD', 'KWD 0.007'],
    [Number.MAX_SAFE_INTEGER, 'JPY', 'JPY 9007199254740991'],
    [Number.MAX_SAFE_INTEGER, 'USD', 'USD 90071992547409.91'],
  ])('%i %s -> %s', (amount, currency, text) => {
    expect(formatMoney(amount, currency)).toBe(text);
  });

  it('shows the raw amount instead of breaking for an unknown currency or a corrupt amount', () => {
    expect(formatMoney(1234, 'XYZ')).toBe('XYZ 1234');
    expect(formatMoney(12.5, 'USD')).toBe('USD 12.5');
  });
});

describe('dates', () => {
  it.each([
    ['2026-12-28', 'Dec 28, 2026'],
    ['2026-01-01', 'Jan 1, 2026'],
    ['2024-02-29', 'Feb 29, 2024'],
  ])('formats %s as %s, without time zone shifts', (iso, text) => {
    expect(formatDate(iso)).toBe(text);
  });

  it('shows a dash for no date and anything else as it came', () => {
    expect(formatDate(null)).toBe('—');
    expect(formatDate(undefined)).toBe('—');
    expect(formatDate('')).toBe('—');
    expect(formatDate('2026-12-28T10:00:00Z')).toBe('2026-12-28T10:00:00Z');
    expect(formatDate('soon')).toBe('soon');
  });

  it('converts to and from the 0-based month parts of HubSpot date inputs', () => {
    expect(isoToDateParts('2026-01-05')).toEqual({ year: 2026, month: 0, date: 5 });
    expect(isoToDateParts('2026-12-31')).toEqual({ year: 2026, month: 11, date: 31 });
    expect(datePartsToIso({ year: 2026, month: 0, date: 5 })).toBe('2026-01-05');
    expect(datePartsToIso({ year: 987, month: 11, date: 31 })).toBe('0987-12-31');
    for (const iso of ['2026-01-05', '2024-02-29', '2026-12-31']) expect(datePartsToIso(isoToDateParts(iso))).toBe(iso);
  });

  it('has no parts for no date or a malformed one, and no date for no parts', () => {
    for (const bad of [null, undefined, '', '2026-1-5', '05/01/2026', '2026-01-05T00:00:00Z']) expect(isoToDateParts(bad)).toBeUndefined();
    expect(datePartsToIso(null)).toBeNull();
    expect(datePartsToIso(undefined)).toBeNull();
  });
});

describe('permissions', () => {
  it('allows everything when the service sends no permissions', () => {
    expect(Object.keys(ALL_ALLOWED)).toEqual([...PERMISSIONS]);
    expect(Object.values(ALL_ALLOWED).every(Boolean)).toBe(true);
    expect(permissionsOf(null)).toEqual(ALL_ALLOWED);
    expect(permissionsOf(undefined)).toEqual(ALL_ALLOWED);
    expect(permissionsOf({})).toEqual(ALL_ALLOWED);
    expect(permissionsOf({ permissions: null })).toEqual(ALL_ALLOWED);
  });

  it('takes the permissions a list sends, filling any it does not name as allowed', () => {
    const sent = { view: true, edit: false, finalize: false, void: false, record_payment: false, export: true, settings: false };
    expect(permissionsOf({ permissions: sent })).toEqual(sent);
    expect(permissionsOf({ permissions: { edit: false } as never })).toEqual({ ...ALL_ALLOWED, edit: false });
  });

  it('labels every permission', () => {
    expect(Object.keys(PERMISSION_LABELS).sort()).toEqual([...PERMISSIONS].sort());
    for (const label of Object.values(PERMISSION_LABELS)) expect(label.length).toBeGreaterThan(3);
  });
});

describe('options', () => {
  it('offers each payment term once, custom only per invoice', () => {
    const values = PAYMENT_TERMS_OPTIONS.map((o) => o.value);
    expect(new Set(values).size).toBe(values.length);
    expect(values).toEqual(['due_on_receipt', 'net_15', 'net_30', 'net_45', 'net_60', 'custom']);
    expect(DEFAULT_TERMS_OPTIONS.map((o) => o.value)).toEqual(values.filter((v) => v !== 'custom'));
  });

  it('offers card and ACH as online payment methods', () => {
    expect(PAYMENT_METHOD_OPTIONS.map((o) => o.value)).toEqual(['card', 'ach']);
  });
});
