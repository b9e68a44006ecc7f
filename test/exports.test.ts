import { beforeAll, describe, expect, it } from 'vitest';
import { findInvoice } from '../src/db/invoices-repo.js';
import { DomainError } from '../src/domain/errors.js';
import { DEFAULT_MAPPINGS, XERO_COLUMNS, csvRecords, xeroRecords } from '../src/domain/exports/formats.js';
import { encodeCell } from '../src/domain/exports/csv.js';
import {
  EXPONENT,
  download,
  expectGoldenExport,
  fixtureSet,
  golden as goldenFile,
  parseCsv,
  parseCsvObjects,
  times,
  toMinor,
  type ExportSet,
} from './helpers/csv.js';
import { useTestApp } from './helpers/use-test-app.js';

const t = useTestApp({ clock: '2026-11-28T12:00:00Z' });
const { db } = t;
let set: ExportSet;
const golden = (name: string, text: string) => goldenFile(set, name, text);
beforeAll(async () => {
  set = await fixtureSet(t);
});

describe('GET /api/v1/exports/xero-csv', () => {
  it('matches the golden file byte for byte and is reproducible', async () => {
    await expectGoldenExport(set, '/api/v1/exports/xero-csv', { file: 'xero.csv', contentType: 'text/csv; charset=utf-8', filename: 'invoices-xero-csv.csv' });
  });

  it('has the 29 columns in order, one row per line, no voids by default, and re-adds every invoice to its total', async () => {
    const { text } = await download(set.api, '/api/v1/exports/xero-csv?dateFormat=MM/DD/YYYY');
    const [header] = parseCsv(text);
    expect(header).toEqual([...XERO_COLUMNS]);
    expect(header).toHaveLength(29);
    const rows = parseCsvObjects(text);
    expect([...new Set(rows.map((r) => r['*InvoiceNumber']))]).toEqual(['INV-1001', 'INV-1002', 'INV-1003']);
    expect(rows.find((r) => r['*InvoiceNumber'] === 'INV-1001')!['*InvoiceDate']).toBe('11/01/2026');
    for (const number of ['INV-1001', 'INV-1002', 'INV-1003']) {
      const inv = rows.filter((r) => r['*InvoiceNumber'] === number);
      const exp = EXPONENT[inv[0]!.Currency!]!;
      const sum = inv.reduce((s, r) => s + times(r['*Quantity']!, toMinor(r['*UnitAmount']!, exp)) + toMinor(r.TaxAmount!, exp), 0);
      expect(sum, number).toBe(toMinor(inv[0]!.Total!, exp));
      const api = await set.api.get(`/api/v1/invoices/${set.ids[Number(number.slice(-1)) - 1]}`);
      expect(toMinor(inv[0]!.Total!, exp), number).toBe(api.body.total);
    }
  });

  it('filters by invoice date and status', async () => {
    const rows = parseCsvObjects((await download(set.api, '/api/v1/exports/xero-csv?from=2026-11-02&to=2026-11-04&status=void,paid')).text);
    expect([...new Set(rows.map((r) => r['*InvoiceNumber']))]).toEqual(['INV-1003', 'INV-1004']);
    const empty = await download(set.api, '/api/v1/exports/xero-csv?from=2030-01-01');
    expect(parseCsv(empty.text)).toEqual([[...XERO_COLUMNS]]);
  });
});

describe('GET /api/v1/exports/csv', () => {
  it('matches the golden file, with invoices, lines, adjustments, payments and the void', async () => {
    const { status, text } = await download(set.api, '/api/v1/exports/csv');
    expect(status, text).toBe(200);
    golden('invoices.csv', text);
    const rows = parseCsvObjects(text);
    for (const id of set.ids) {
      const mine = rows.filter((r) => r.invoice_id === id);
      const head = mine.find((r) => r.record_type === 'invoice')!;
      const exp = EXPONENT[head.currency!]!;
      const parts = mine.filter((r) => r.record_type === 'line' || r.record_type === 'adjustment');
      const sum = parts.reduce((s, r) => s + toMinor(r.amount!, exp) + (r.tax_amount ? toMinor(r.tax_amount, exp) : 0), 0);
      expect(sum, head.invoice_number).toBe(toMinor(head.total!, exp));
      const paid = mine.filter((r) => r.record_type === 'payment').reduce((s, r) => s + toMinor(r.amount!, exp), 0);
      expect(paid, head.invoice_number).toBe(toMinor(head.amount_paid!, exp));
    }
    expect(rows.find((r) => r.invoice_number === 'INV-1004' && r.record_type === 'invoice')).toMatchObject({
      status: 'void',
      void_reason: 'Duplicate',
      balance_due: '0.00',
    });
  });
});

describe('export safety', () => {
  it('guards text cells against formulas and keeps numeric cells numeric', async () => {
    const { text } = await download(set.api, '/api/v1/exports/xero-csv?status=open');
    const rows = parseCsvObjects(text).filter((r) => r['*InvoiceNumber'] === 'INV-1002');
    expect(rows[0]!['*ContactName']).toBe("'-2+3");
    expect(rows.map((r) => r['*Description'])).toEqual(["'@SUM(A1:A9)\n=cmd|' /C calc'!A0", 'Tabbed\n\tdesc', 'Carriage\n\rdesc', "'=cmd"]);
    // Negative amounts (discount lines) stay plain numbers.
    const usd = parseCsvObjects(text).filter((r) => r['*InvoiceNumber'] === 'INV-1001');
    expect(usd.some((r) => r['*UnitAmount']!.startsWith('-'))).toBe(true);
    for (const r of usd) expect(r['*UnitAmount']).toMatch(/^-?\d+\.\d{2}$/);
    const csv = parseCsvObjects((await download(set.api, '/api/v1/exports/csv')).text);
    expect(csv.find((r) => r.invoice_number === 'INV-1002' && r.record_type === 'invoice')).toMatchObject({ contact_name: "'+1", company_name: "'-2+3" });
    const lines = csv.filter((r) => r.invoice_number === 'INV-1002' && r.record_type === 'line');
    expect(lines.map((r) => [r.name, r.description])).toEqual([
      ["'@SUM(A1:A9)", "'=cmd|' /C calc'!A0"],
      ['Tabbed', "'\tdesc"],
      ['Carriage', "'\rdesc"],
    ]);
  });

  it.each([
    ['=cmd', `"'=cmd"`],
    ['+1', `"'+1"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tx', `"'\tx"`],
    ['\rx', `"'\rx"`],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['plain', 'plain'],
  ])('text cell %j -> %s', (value, encoded) => {
    expect(encodeCell({ t: value })).toBe(encoded);
  });

  it('writes numeric cells as is and refuses anything that is not a decimal', () => {
    expect(encodeCell({ n: '-12.50' })).toBe('-12.50');
    expect(() => encodeCell({ n: '=1+1' })).toThrow();
  });

  it('stops with an error naming an invoice that does not reconcile', async () => {
    const inv = (await findInvoice(db, set.portal, set.ids[0]!))!;
    const tampered = { ...inv, totals: { ...inv.totals, total: inv.totals.total + 1 } };
    for (const write of [() => xeroRecords(tampered, { mappings: DEFAULT_MAPPINGS }), () => csvRecords(tampered, [])]) {
      try {
        write();
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(DomainError);
        expect((err as DomainError).code).toBe('export_not_reconciled');
        expect((err as DomainError).message).toContain('INV-1001');
      }
    }
    expect(() => csvRecords({ ...inv }, [])).toThrow(/INV-1001 does not reconcile: its payments/);
  });

  it('needs the exports scope, a known format and valid parameters', async () => {
    expect((await t.as(set.portal, ['invoices:read']).get('/api/v1/exports/csv')).status).toBe(403);
    expect((await set.api.get('/api/v1/exports/pdf')).status).toBe(404);
    for (const [q, path] of [
      ['from=2026-13-01', 'from'],
      ['status=draft', 'status'],
      ['dateFormat=YYYY-MM-DD', 'dateFormat'],
      ['from=2026-12-01&to=2026-11-01', 'from'],
      ['incremental=yes', 'incremental'],
      ['accountCode=a b', 'accountCode'],
    ] as const) {
      const res = await set.api.get(`/api/v1/exports/xero-csv?${q}`);
      expect(res.status, q).toBe(400);
      expect(
        res.body.error.details.map((d: { path: string }) => d.path.split('[')[0]),
        q,
      ).toContain(path);
    }
  });
});
