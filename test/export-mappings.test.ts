import { describe, expect, it } from 'vitest';
import { newPortalId } from './helpers/app.js';
import { fixtureSet, parseCsvObjects, type ExportSet } from './helpers/csv.js';
import { fetchFile, iifTransactions } from './helpers/export-files.js';
import { useTestApp } from './helpers/use-test-app.js';

const t = useTestApp({ clock: '2026-11-28T12:00:00Z' });

const DEFAULTS = {
  dateFormat: 'DD/MM/YYYY',
  defaultAccountCode: '200',
  defaultTaxType: 'Tax Exempt (0%)',
  receivableAccount: 'Accounts Receivable',
  incomeAccount: 'Sales',
  taxAccount: 'Sales Tax Payable',
  bom: { 'xero-csv': false, 'qbo-csv': false, 'qbd-iif': false, csv: true },
  items: [],
};

async function mapped(set: ExportSet, mappings: object) {
  const res = await set.api.put('/api/v1/settings', { accountingMappings: mappings });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.accountingMappings;
}

describe('accountingMappings setting', () => {
  it('starts with the defaults, and a PUT changes only the fields it names (bom per format)', async () => {
    const api = t.as(newPortalId());
    expect((await api.get('/api/v1/settings')).body.accountingMappings).toEqual(DEFAULTS);
    const res = await api.put('/api/v1/settings', { accountingMappings: { dateFormat: 'MM/DD/YYYY', bom: { 'xero-csv': true } } });
    expect(res.status).toBe(200);
    expect(res.body.accountingMappings).toEqual({ ...DEFAULTS, dateFormat: 'MM/DD/YYYY', bom: { ...DEFAULTS.bom, 'xero-csv': true } });
    const again = await api.put('/api/v1/settings', { accountingMappings: { items: [{ sku: 'ONB-1', accountCode: '210' }] } });
    expect(again.body.accountingMappings).toMatchObject({ dateFormat: 'MM/DD/YYYY', items: [{ sku: 'ONB-1', accountCode: '210' }] });
    expect((await api.get('/api/v1/settings')).body.accountingMappings).toEqual(again.body.accountingMappings);
  });

  const INVALID: Array<[object, string]> = [
    [{ dateFormat: 'YYYY-MM-DD' }, 'accountingMappings.dateFormat'],
    [{ defaultAccountCode: '' }, 'accountingMappings.defaultAccountCode'],
    [{ defaultAccountCode: '12345678901' }, 'accountingMappings.defaultAccountCode'],
    [{ incomeAccount: 'Sales\tEU' }, 'accountingMappings.incomeAccount'],
    [{ bom: { json: true } }, 'accountingMappings.bom.json'],
    [{ bom: { csv: 'yes' } }, 'accountingMappings.bom.csv'],
    [
      {
        items: [
          { sku: 'A', accountCode: '210' },
          { sku: 'B', accountCode: 'bad code' },
        ],
      },
      'accountingMappings.items[1].accountCode',
    ],
    [{ items: [{ sku: 'A' }, { sku: 'A' }] }, 'accountingMappings.items[1].sku'],
    [{ items: [{ accountCode: '210' }] }, 'accountingMappings.items[0].sku'],
    [{ receivable: 'AR' }, 'accountingMappings.receivable'],
  ];
  for (const [mappings, path] of INVALID) {
    it(`refuses ${JSON.stringify(mappings)} with 400 naming ${path}, changing nothing`, async () => {
      const api = t.as(newPortalId());
      expect((await api.put('/api/v1/settings', { accountingMappings: { defaultAccountCode: '400' } })).status).toBe(200);
      const before = (await api.get('/api/v1/settings')).body;
      const res = await api.put('/api/v1/settings', { numberPrefix: 'NEW', accountingMappings: mappings });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
      expect((await api.get('/api/v1/settings')).body).toEqual(before);
    });
  }
});

describe('exports follow the mappings', () => {
  it('xero-csv: account code and tax type per SKU, then the defaults; dates in the regional format; the query overrides', async () => {
    const set = await fixtureSet(t);
    await mapped(set, {
      dateFormat: 'MM/DD/YYYY',
      defaultAccountCode: '400',
      defaultTaxType: 'No VAT',
      items: [
        { sku: 'ONB-1', accountCode: '210', taxType: 'VAT 21%' },
        { sku: 'LIC-PRO', incomeAccount: 'Licences' },
      ],
    });
    const rows = parseCsvObjects((await fetchFile(set.api, '/api/v1/exports/xero-csv')).text).filter((r) => r['*InvoiceNumber'] === 'INV-1001');
    expect(rows.map((r) => [r.InventoryItemCode, r['*AccountCode'], r['*TaxType']])).toEqual([
      ['ONB-1', '210', 'VAT 21%'],
      ['', '210', 'No VAT'], // the line and its discount
      ['LIC-PRO', '400', 'Tax 7.125%'],
      ['', '400', 'No VAT'], // SKU without an account code: the default
      ['', '400', 'No VAT'], // no SKU, untaxed
      ['', '400', 'No VAT'],
      ['', '400', 'No VAT'], // invoice discount, fee
    ]);
    expect(rows[0]!['*InvoiceDate']).toBe('11/01/2026');
    const overridden = parseCsvObjects((await fetchFile(set.api, '/api/v1/exports/xero-csv?dateFormat=DD/MM/YYYY&accountCode=999')).text).filter(
      (r) => r['*InvoiceNumber'] === 'INV-1001',
    );
    expect(overridden[0]!['*InvoiceDate']).toBe('01/11/2026');
    // accountCode replaces the default only: SKU mappings still win.
    expect(overridden.map((r) => r['*AccountCode'])).toEqual(['210', '210', '999', '999', '999', '999', '999']);
  });

  it('qbd-iif: receivable, income (per SKU) and tax accounts from the mappings', async () => {
    const set = await fixtureSet(t);
    await mapped(set, {
      receivableAccount: 'Debtors',
      incomeAccount: 'Income:Other',
      taxAccount: 'VAT Payable',
      items: [{ sku: 'ONB-1', incomeAccount: 'Income:Services' }],
    });
    const txs = iifTransactions((await fetchFile(set.api, '/api/v1/exports/qbd-iif')).text);
    const inv = txs.find((tx) => tx[0]!.DOCNUM === 'INV-1001')!;
    expect(inv.map((r) => [r.ACCNT, r.INVITEM ?? ''])).toEqual([
      ['Debtors', ''],
      ['Income:Services', 'ONB-1'],
      ['Income:Services', 'Discount'],
      ['Income:Other', 'LIC-PRO'],
      ['Income:Other', 'Discount'],
      ['Income:Other', 'Support'],
      ['Income:Other', 'Discount'],
      ['Income:Other', 'Fee'],
      ['VAT Payable', 'Sales Tax'],
      ['VAT Payable', 'Sales Tax'],
    ]);
    const payment = txs.find((tx) => tx[0]!.TRNSTYPE === 'PAYMENT')!;
    expect(payment.map((r) => r.ACCNT)).toEqual(['Undeposited Funds', 'Debtors']);
  });

  it('writes a UTF-8 BOM per format as set (csv on by default), never in json', async () => {
    const set = await fixtureSet(t);
    const starts = async (f: string) => (await fetchFile(set.api, `/api/v1/exports/${f}`)).bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(await starts('csv')).toBe(true);
    expect(await starts('xero-csv')).toBe(false);
    expect(await starts('qbd-iif')).toBe(false);
    await mapped(set, { bom: { csv: false, 'xero-csv': true, 'qbo-csv': true, 'qbd-iif': true } });
    expect(await starts('csv')).toBe(false);
    for (const f of ['xero-csv', 'qbo-csv', 'qbd-iif']) expect(await starts(f), f).toBe(true);
    expect(await starts('json')).toBe(false);
    // The checksum covers the BOM: the stored file is the bytes sent.
    const file = await fetchFile(set.api, '/api/v1/exports/xero-csv');
    expect((await set.api.get(`/api/v1/exports/batches/${file.batchId}`)).body.checksum).toBe(file.sha);
  });
});
