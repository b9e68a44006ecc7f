import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { newPortalId, type Api, type TestApp } from './app.js';
import { invoiceIn } from './invoices.js';

/**
 * A strict RFC 4180 parser for tests: records end with CRLF (the last one too), fields are
 * separated by commas, quoted fields may hold commas, quotes (doubled) and line breaks. Anything
 * else (a bare LF or CR outside quotes, a quote inside an unquoted field, text after a closing
 * quote) throws, so a sloppy writer cannot pass. A leading UTF-8 byte order mark (the `csv`
 * format's default, a setting) is skipped, as spreadsheet programs do.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`quote inside an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      records.push(record);
      record = [];
      i += 2;
      continue;
    }
    throw new Error(`expected a comma or CRLF at ${i}, found ${JSON.stringify(text.slice(i, i + 5))}`);
  }
  if (record.length > 0) throw new Error('last record does not end with CRLF');
  return records;
}

/** Records as objects keyed by the header record. */
export function parseCsvObjects(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('no header');
  return rows.map((r) => {
    if (r.length !== header.length) throw new Error(`record has ${r.length} fields, header ${header.length}`);
    return Object.fromEntries(header.map((h, k) => [h, r[k]!]));
  });
}

/** Decimal string to minor units without floats ("-12.34" with 2 decimals -> -1234). */
export function toMinor(decimal: string, exponent: number): number {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!m) throw new Error(`not a decimal: ${JSON.stringify(decimal)}`);
  const frac = (m[3] ?? '').padEnd(exponent, '0');
  if (frac.length !== exponent) throw new Error(`${decimal} has more than ${exponent} decimals`);
  const value = Number(`${m[2]}${frac}`);
  return m[1] ? -value : value;
}

// ---------------------------------------------------------------------------------------------
// The export tests' fixed set of invoices and file helpers (shared by test/exports*.test.ts).

export const FIXTURES = new URL('../fixtures/exports/', import.meta.url);
export const EXPONENT: Record<string, number> = { USD: 2, EUR: 2, JPY: 0 };

export interface ExportSet {
  api: Api;
  portal: number;
  /** Invoice ids in number order (INV-1001 .. INV-1004). */
  ids: string[];
}

/**
 * The fixed set: INV-1001 USD (line discounts percent and amount, invoice discount, fee, taxes,
 * partial payment), INV-1002 EUR (formula-injection names, invoice-level tax), INV-1003 JPY
 * (paid), INV-1004 USD void. Returns the portal's api and the invoice ids in number order.
 */
export async function fixtureSet(t: Pick<TestApp, 'as'>): Promise<ExportSet> {
  const portal = newPortalId();
  const api = t.as(portal);
  const a = await invoiceIn(
    api,
    'partly_paid',
    {
      invoiceDate: '2026-11-01',
      lineItems: [
        { name: 'Onboarding', sku: 'ONB-1', quantity: '1.5', unitPrice: 10000, discount: { type: 'percent', value: '10' }, taxRate: '21' },
        {
          name: 'Licence, yearly "Pro"',
          description: 'Seats 1-10',
          sku: 'LIC-PRO',
          quantity: '3',
          unitPrice: 3333,
          discount: { type: 'amount', value: '999' },
          taxRate: '7.125',
        },
        { name: 'Support', quantity: '0.333', unitPrice: 2500 },
      ],
      adjustments: [
        { kind: 'discount', label: 'Early bird', type: 'percent', value: '5' },
        { kind: 'fee', label: 'Shipping', type: 'amount', value: '500' },
      ],
      billTo: {
        name: 'Ada Buyer',
        email: 'ada@example.com',
        companyName: 'Example BV',
        address: { line1: 'Main St 1', city: 'Utrecht', postalCode: '3511', country: 'NL' },
      },
    },
    { payment: { amount: 5000, method: 'bank_transfer', reference: 'TX-1', receivedOn: '2026-11-20' } },
  );
  const b = await invoiceIn(api, 'open', {
    currency: 'EUR',
    invoiceDate: '2026-11-02',
    lineItems: [
      { name: '@SUM(A1:A9)', description: "=cmd|' /C calc'!A0", quantity: '2', unitPrice: 1999, taxRate: '19' },
      // Names are trimmed on input; descriptions keep a leading tab or CR.
      { name: 'Tabbed', description: '\tdesc', quantity: '1', unitPrice: 100 },
      { name: 'Carriage', description: '\rdesc', quantity: '1', unitPrice: 1 },
    ],
    adjustments: [{ kind: 'tax', label: '=cmd', type: 'percent', value: '2' }],
    billTo: { name: '+1', email: 'x@example.com', companyName: '-2+3' },
  });
  const c = await invoiceIn(
    api,
    'paid',
    {
      currency: 'JPY',
      invoiceDate: '2026-11-03',
      lineItems: [{ name: 'Yen work', quantity: '3', unitPrice: 1000, taxRate: '10' }],
      billTo: { name: 'Kenji', email: 'k@example.jp', companyName: null },
    },
    { payment: { receivedOn: '2026-11-04' } },
  );
  const d = await invoiceIn(api, 'void', { invoiceDate: '2026-11-04' }, { voidReason: 'Duplicate' });
  return { api, portal, ids: [a.id, b.id, c.id, d.id] };
}

export async function download(api: Api, path: string): Promise<{ status: number; text: string; type: string; disposition: string }> {
  const res = await api
    .get(path)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
    });
  return { status: res.status, text: res.body as string, type: String(res.headers['content-type']), disposition: String(res.headers['content-disposition']) };
}

/** Compares with the golden file byte for byte (UPDATE_GOLDEN=1 rewrites it). Ids are random per run: replaced by position. */
export function golden(set: Pick<ExportSet, 'ids'>, name: string, text: string) {
  let stable = text;
  set.ids.forEach((id, k) => {
    stable = stable.replaceAll(id, `<invoice-${k + 1}>`);
  });
  const file = new URL(name, FIXTURES);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, stable);
  // A missing golden file is a failure, not a silent first write: the test must be able to fail.
  expect(existsSync(file), `golden file ${name} is missing (UPDATE_GOLDEN=1 writes it)`).toBe(true);
  expect(stable).toBe(readFileSync(file, 'utf8'));
}

/**
 * Downloads an export, checks status, content type and file name, compares it with its golden
 * file and checks a second download gives the same bytes. Returns the text.
 */
export async function expectGoldenExport(
  set: Pick<ExportSet, 'ids' | 'api'>,
  path: string,
  expected: { file: string; contentType: string; filename?: string },
): Promise<string> {
  const first = await download(set.api, path);
  expect(first.status, first.text).toBe(200);
  expect(first.type).toBe(expected.contentType);
  if (expected.filename) expect(first.disposition).toBe(`attachment; filename=${expected.filename}`);
  golden(set, expected.file, first.text);
  expect((await download(set.api, path)).text).toBe(first.text);
  return first.text;
}

/** round(quantity x unit) half away from zero, as a reader of the file computes it. */
export function times(quantity: string, unitMinor: number): number {
  const [int, frac = ''] = quantity.split('.');
  const scale = 10n ** BigInt(frac.length);
  const n = BigInt(unitMinor) * BigInt(`${int}${frac}`);
  const mag = n < 0n ? -n : n;
  let q = mag / scale;
  if ((mag % scale) * 2n >= scale) q += 1n;
  return Number(n < 0n ? -q : q);
}
