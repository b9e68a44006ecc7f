import { beforeAll, describe, expect, it } from 'vitest';
import { findInvoice } from '../src/db/invoices-repo.js';
import { DomainError } from '../src/domain/errors.js';
import { QBO_COLUMNS, encodeIifCell, iifRecords, jsonRecords, qboRecords } from '../src/domain/exports/formats.js';
import { EXPONENT, download, expectGoldenExport, fixtureSet, parseCsv, parseCsvObjects, times, toMinor, type ExportSet } from './helpers/csv.js';
import { useTestApp } from './helpers/use-test-app.js';

const t = useTestApp({ clock: '2026-11-28T12:00:00Z' });
const { db } = t;
let set: ExportSet;
beforeAll(async () => {
  set = await fixtureSet(t);
});

/** Strict IIF reader: CRLF records, tab-separated fields, no stray CR or LF, `!` header rows first. */
function parseIif(text: string): { headers: Record<string, string[]>; transactions: Array<Array<Record<string, string>>> } {
  expect(text.endsWith('\r\n')).toBe(true);
  const lines = text.slice(0, -2).split('\r\n');
  for (const l of lines) expect(l, JSON.stringify(l)).not.toMatch(/[\r\n]/);
  const headers: Record<string, string[]> = {};
  const transactions: Array<Array<Record<string, string>>> = [];
  let open: Array<Record<string, string>> | null = null;
  for (const line of lines) {
    const [kind, ...fields] = line.split('\t');
    if (kind!.startsWith('!')) {
      expect(transactions, 'header rows come first').toHaveLength(0);
      headers[kind!.slice(1)] = fields;
    } else if (kind === 'TRNS') {
      expect(open, 'TRNS inside a transaction').toBeNull();
      open = [Object.fromEntries(headers.TRNS!.map((h, k) => [h, fields[k] ?? '']))];
      expect(fields).toHaveLength(headers.TRNS!.length);
    } else if (kind === 'SPL') {
      expect(open, 'SPL outside a transaction').not.toBeNull();
      expect(fields).toHaveLength(headers.SPL!.length);
      open!.push(Object.fromEntries(headers.SPL!.map((h, k) => [h, fields[k] ?? ''])));
    } else {
      expect(kind).toBe('ENDTRNS');
      transactions.push(open!);
      open = null;
    }
  }
  expect(open, 'unterminated transaction').toBeNull();
  return { headers, transactions };
}

/** The file's currency per invoice number, from the API (IIF has no currency column). */
const CURRENCY: Record<string, string> = { 'INV-1001': 'USD', 'INV-1002': 'EUR', 'INV-1003': 'JPY', 'INV-1004': 'USD' };

async function apiTotal(number: string): Promise<number> {
  return (await set.api.get(`/api/v1/invoices/${set.ids[Number(number.slice(-1)) - 1]}`)).body.total as number;
}

describe('GET /api/v1/exports/qbo-csv', () => {
  it('matches the golden file byte for byte and is reproducible', async () => {
    await expectGoldenExport(set, '/api/v1/exports/qbo-csv', { file: 'qbo.csv', contentType: 'text/csv; charset=utf-8', filename: 'invoices-qbo-csv.csv' });
  });

  it('has the QuickBooks Online columns, rows grouped by invoice, MM/DD/YYYY, and re-adds every invoice to its total', async () => {
    const { text } = await download(set.api, '/api/v1/exports/qbo-csv');
    expect(parseCsv(text)[0]).toEqual([...QBO_COLUMNS]);
    const rows = parseCsvObjects(text);
    const numbers = rows.map((r) => r.InvoiceNo);
    // Grouped: each number's rows are contiguous; no voids by default.
    expect([...new Set(numbers)]).toEqual(['INV-1001', 'INV-1002', 'INV-1003']);
    expect(numbers).toEqual([...numbers].sort());
    expect(rows[0]).toMatchObject({ Customer: 'Example BV', InvoiceDate: '11/01/2026', DueDate: '12/01/2026', Terms: 'Net 30', Taxable: 'N', TaxRate: '' });
    for (const number of ['INV-1001', 'INV-1002', 'INV-1003']) {
      const inv = rows.filter((r) => r.InvoiceNo === number);
      const exp = EXPONENT[CURRENCY[number]!]!;
      for (const r of inv) expect(toMinor(r.ItemAmount!, exp), `${number} ${r.ItemDescription}`).toBe(times(r.ItemQuantity!, toMinor(r.ItemRate!, exp)));
      const sum = inv.reduce((s, r) => s + toMinor(r.ItemAmount!, exp), 0);
      expect(sum, number).toBe(await apiTotal(number));
    }
    const usd = rows.filter((r) => r.InvoiceNo === 'INV-1001').map((r) => [r['Item(Product/Service)'], r.ItemAmount]);
    expect(usd).toEqual([
      ['ONB-1', '150.00'],
      ['Discount', '-15.00'],
      ['LIC-PRO', '99.99'],
      ['Discount', '-9.99'],
      ['Support', '8.33'],
      ['Discount', '-11.67'],
      ['Fee', '5.00'],
      ['Sales Tax', '26.93'],
      ['Sales Tax', '6.09'],
    ]);
  });

  it('guards text cells against formulas', async () => {
    const rows = parseCsvObjects((await download(set.api, '/api/v1/exports/qbo-csv')).text).filter((r) => r.InvoiceNo === 'INV-1002');
    expect(rows[0]!.Customer).toBe("'-2+3");
    expect(rows.map((r) => r['Item(Product/Service)'])).toEqual(["'@SUM(A1:A9)", 'Tabbed', 'Carriage', 'Sales Tax', 'Sales Tax']);
    expect(rows.at(-1)!.ItemDescription).toBe("'=cmd");
  });
});

describe('GET /api/v1/exports/qbd-iif', () => {
  it('matches the golden file byte for byte and is reproducible', async () => {
    await expectGoldenExport(set, '/api/v1/exports/qbd-iif?status=open,paid,void', {
      file: 'quickbooks.iif',
      contentType: 'text/plain; charset=utf-8',
      filename: 'invoices-qbd-iif.iif',
    });
  });

  it('parses back: every transaction sums to zero, invoices to their totals, payments as PAYMENT transactions', async () => {
    const { headers, transactions } = parseIif((await download(set.api, '/api/v1/exports/qbd-iif?status=open,paid,void')).text);
    expect(Object.keys(headers)).toEqual(['TRNS', 'SPL', 'ENDTRNS']);
    for (const tx of transactions) {
      const head = tx[0]!;
      const exp = EXPONENT[CURRENCY[head.TRNSTYPE === 'INVOICE' ? head.DOCNUM! : head.MEMO!.split(' ')[2]!]!]!;
      expect(
        tx.reduce((s, r) => s + toMinor(r.AMOUNT!, exp), 0),
        `${head.TRNSTYPE} ${head.DOCNUM}`,
      ).toBe(0);
      for (const r of tx.slice(1)) {
        if (r.QNTY && r.QNTY !== '0') {
          expect(r.QNTY.startsWith('-')).toBe(true);
          expect(toMinor(r.AMOUNT!, exp)).toBe(times(r.QNTY, toMinor(r.PRICE!, exp)));
        }
      }
    }
    const invoices = transactions.filter((tx) => tx[0]!.TRNSTYPE === 'INVOICE');
    expect(invoices.map((tx) => tx[0]!.DOCNUM)).toEqual(['INV-1001', 'INV-1002', 'INV-1003', 'INV-1004']);
    for (const tx of invoices.slice(0, 3)) {
      const head = tx[0]!;
      expect(head.ACCNT).toBe('Accounts Receivable');
      expect(toMinor(head.AMOUNT!, EXPONENT[CURRENCY[head.DOCNUM!]!]!)).toBe(await apiTotal(head.DOCNUM!));
    }
    expect(invoices[0]![0]).toMatchObject({ DATE: '11/01/2026', NAME: 'Example BV', AMOUNT: '259.68' });
    expect(invoices[0]!.slice(1).map((r) => [r.ACCNT, r.AMOUNT, r.INVITEM])).toEqual([
      ['Sales', '-150.00', 'ONB-1'],
      ['Sales', '15.00', 'Discount'],
      ['Sales', '-99.99', 'LIC-PRO'],
      ['Sales', '9.99', 'Discount'],
      ['Sales', '-8.33', 'Support'],
      ['Sales', '11.67', 'Discount'],
      ['Sales', '-5.00', 'Fee'],
      ['Sales Tax Payable', '-26.93', 'Sales Tax'],
      ['Sales Tax Payable', '-6.09', 'Sales Tax'],
    ]);
    // The void: zero amounts, VOID memo.
    expect(invoices[3]![0]).toMatchObject({ AMOUNT: '0.00', MEMO: 'VOID: Duplicate' });
    expect(invoices[3]!.every((r) => r.AMOUNT === '0.00')).toBe(true);
    const payments = transactions.filter((tx) => tx[0]!.TRNSTYPE === 'PAYMENT');
    expect(payments.map((tx) => tx.map((r) => [r.ACCNT, r.AMOUNT, r.DATE]))).toEqual([
      [
        ['Undeposited Funds', '50.00', '11/20/2026'],
        ['Accounts Receivable', '-50.00', '11/20/2026'],
      ],
      [
        ['Undeposited Funds', '3300', '11/04/2026'],
        ['Accounts Receivable', '-3300', '11/04/2026'],
      ],
    ]);
    expect(payments[0]![0]).toMatchObject({ DOCNUM: 'TX-1', NAME: 'Example BV', MEMO: 'Payment for INV-1001 (bank_transfer)' });
  });

  it('neutralizes tabs, line breaks and quotes (IIF has no quoting) and guards formulas', async () => {
    const { transactions } = parseIif((await download(set.api, '/api/v1/exports/qbd-iif')).text);
    const eur = transactions.find((tx) => tx[0]!.DOCNUM === 'INV-1002')!;
    expect(eur[0]!.NAME).toBe("'-2+3");
    expect(eur.slice(1).map((r) => [r.INVITEM, r.MEMO])).toEqual([
      ["'@SUM(A1:A9)", "'@SUM(A1:A9): =cmd|' /C calc'!A0"],
      ['Tabbed', 'Tabbed: desc'],
      ['Carriage', 'Carriage: desc'],
      ['Sales Tax', 'Sales tax 19%'],
      ['Sales Tax', "'=cmd"],
    ]);
    expect(encodeIifCell({ t: 'a\tb\r\nc "d"' })).toBe("a b c 'd'");
    expect(encodeIifCell({ t: '\t=x' })).toBe("'=x");
    expect(encodeIifCell({ n: '-1.50' })).toBe('-1.50');
    expect(() => encodeIifCell({ n: '1\t2' })).toThrow();
  });
});

describe('GET /api/v1/exports/json', () => {
  it('matches the golden file, parses as one array in number order with lines, adjustments and payments', async () => {
    const text = await expectGoldenExport(set, '/api/v1/exports/json', { file: 'invoices.json', contentType: 'application/json; charset=utf-8' });
    const data = JSON.parse(text) as Array<Record<string, any>>;
    expect(data.map((i) => [i.id, i.number, i.status])).toEqual([
      [set.ids[0], 'INV-1001', 'open'],
      [set.ids[1], 'INV-1002', 'open'],
      [set.ids[2], 'INV-1003', 'paid'],
      [set.ids[3], 'INV-1004', 'void'],
    ]);
    for (const inv of data) {
      const sum = inv.lines.reduce((s: number, l: any) => s + l.amount + l.taxAmount, 0) + inv.adjustments.reduce((s: number, a: any) => s + a.amount, 0);
      expect(sum, inv.number).toBe(inv.total);
      expect(
        inv.payments.reduce((s: number, p: any) => s + p.amount, 0),
        inv.number,
      ).toBe(inv.amountPaid);
      expect(inv.total, inv.number).toBe(await apiTotal(inv.number));
    }
    expect(data[0]!.payments).toEqual([{ position: 1, amount: 5000, method: 'bank_transfer', reference: 'TX-1', receivedOn: '2026-11-20' }]);
    expect(data[3]).toMatchObject({ voidReason: 'Duplicate', balanceDue: 0 });
    expect(data[1]!.lines[0]).toMatchObject({ name: '@SUM(A1:A9)', description: "=cmd|' /C calc'!A0" });
  });

  it('is an empty array when nothing matches', async () => {
    const { text } = await download(set.api, '/api/v1/exports/json?from=2030-01-01');
    expect(text).toBe('[]\n');
    expect(JSON.parse(text)).toEqual([]);
  });
});

describe('reconciliation while writing', () => {
  it('stops qbo-csv, qbd-iif and json with an error naming an invoice that does not reconcile', async () => {
    const inv = (await findInvoice(db, set.portal, set.ids[0]!))!;
    const payments = [{ id: 'p1', amount: 5000, method: 'bank_transfer', receivedOn: '2026-11-20', reference: 'TX-1' }];
    expect(() => iifRecords(inv, payments)).not.toThrow();
    expect(() => jsonRecords(inv, payments, true)).not.toThrow();
    const tampered = { ...inv, totals: { ...inv.totals, total: inv.totals.total + 1 } };
    for (const write of [() => qboRecords(tampered), () => iifRecords(tampered, payments), () => jsonRecords(tampered, payments, true)]) {
      try {
        write();
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(DomainError);
        expect((err as DomainError).code).toBe('export_not_reconciled');
        expect((err as DomainError).message).toContain('INV-1001');
      }
    }
    expect(() => iifRecords(inv, [])).toThrow(/INV-1001 does not reconcile: its payments/);
    expect(() => jsonRecords(inv, [], true)).toThrow(/INV-1001 does not reconcile: its payments/);
  });

  it('lists the formats when one is unknown', async () => {
    const res = await set.api.get('/api/v1/exports/xml');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('csv, xero-csv, qbo-csv, qbd-iif, json');
  });
});
