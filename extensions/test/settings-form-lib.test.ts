/**
 * The settings page's form logic (settings/lib/settings-form.ts and accounting-form.ts) without
 * rendering: what is checked before a save, the next-number preview and the PUT bodies.
 */
import { describe, expect, it } from 'vitest';
import {
  accountingBody,
  accountingFormFrom,
  BOM_FORMATS,
  checkAccounting,
  emptyItem,
  TEXT_FIELDS,
  type AccountingForm,
} from '../src/app/settings/lib/accounting-form';
import { checkDomain, checkSettings, formFromSettings, nextNumberPreview, settingsBody, type SettingsForm } from '../src/app/settings/lib/settings-form';
import { settings } from './fixtures';

const form = (over: Partial<SettingsForm> = {}): SettingsForm => ({ ...formFromSettings(settings()), ...over });

describe('next number preview', () => {
  it.each([
    ['INV', 1001, 'INV-1001'],
    ['A', 1, 'A-1'],
    ['2026/INV.x_y-z', 7, '2026/INV.x_y-z-7'],
    ['P'.repeat(20), 999_999_999_999, `${'P'.repeat(20)}-999999999999`],
  ])('%s + %i -> %s', (numberPrefix, nextNumber, preview) => {
    expect(nextNumberPreview({ numberPrefix, nextNumber })).toBe(preview);
  });

  it.each([
    ['', 1001],
    ['-INV', 1001],
    ['IN V', 1001],
    ['P'.repeat(21), 1001],
    ['INV', 0],
    ['INV', -1],
    ['INV', 1.5],
    ['INV', Number.NaN],
    ['INV', 1_000_000_000_000],
  ])('is null for %j + %s', (numberPrefix, nextNumber) => {
    expect(nextNumberPreview({ numberPrefix, nextNumber })).toBeNull();
  });
});

describe('checkDomain', () => {
  it.each([
    ['billing.example.com', 'billing.example.com'],
    ['  Billing.Example.COM ', 'billing.example.com'],
    ['https://billing.example.com/pay?x=1', 'billing.example.com'],
    ['http://pay.example.co.uk/', 'pay.example.co.uk'],
    ['a-b.example.io', 'a-b.example.io'],
  ])('takes %j as %s', (input, domain) => {
    expect(checkDomain(input, [])).toEqual({ domain });
  });

  it.each([
    [''],
    ['   '],
    ['localhost'],
    ['example'],
    ['-bad.example.com'],
    ['bad-.example.com'],
    ['exa mple.com'],
    ['example.c'],
    ['ftp://example.com'],
    ['1.2.3.4'],
  ])('refuses %j', (input) => {
    expect(checkDomain(input, [])).toEqual({ error: 'Enter a host name such as billing.example.com.' });
  });

  it('refuses a domain already in the list, however it was typed', () => {
    expect(checkDomain('HTTPS://Billing.example.com', ['billing.example.com'])).toEqual({ error: 'This domain is already in the list.' });
  });
});

describe('checkSettings', () => {
  it('passes the fixture settings', () => {
    expect(checkSettings(form())).toEqual({});
  });

  it('names every field that stops a save', () => {
    expect(
      checkSettings(
        form({
          numberPrefix: '',
          nextNumber: 0,
          defaultCurrency: 'US',
          timeZone: ' ',
          logoUrl: 'http://cdn.example.com/l.png',
          domains: ['a.example.com'],
          defaultDomain: 'b.example.com',
        }),
      ),
    ).toEqual({
      numberPrefix: 'Use 1-20 letters, digits, "_", ".", "/" or "-", starting with a letter or digit.',
      nextNumber: 'Enter a whole number of 1 or more.',
      defaultCurrency: 'Enter a 3-letter ISO currency code such as USD.',
      timeZone: 'Enter a time zone such as Europe/Amsterdam.',
      logoUrl: 'The logo URL must start with https://.',
      defaultDomain: 'Pick one of the verified domains above.',
    });
  });

  it.each([[1.5], [-3], [Number.NaN], [1_000_000_000_000]])('refuses the next number %s', (nextNumber) => {
    expect(checkSettings(form({ nextNumber }))).toEqual({ nextNumber: 'Enter a whole number of 1 or more.' });
  });

  it('takes a lower-case currency, a blank logo and no default domain', () => {
    expect(checkSettings(form({ defaultCurrency: ' eur ', logoUrl: '  ', defaultDomain: '' }))).toEqual({});
    expect(checkSettings(form({ logoUrl: 'https://cdn.example.com/l with space.png' }))).toEqual({ logoUrl: 'The logo URL must start with https://.' });
  });
});

describe('settings form <-> PUT body', () => {
  it('fills blanks for a settings row without brand details', () => {
    const f = formFromSettings(settings({ brand: undefined }));
    expect(f).toMatchObject({ brandName: '', logoUrl: '', defaultDomain: '' });
    expect(Object.values(f.address)).toEqual(['', '', '', '', '', '']);
  });

  it('sends the fixture settings back as they came', () => {
    expect(settingsBody(form())).toEqual({
      numberPrefix: 'INV',
      nextNumber: 1001,
      defaultPaymentTerms: 'net_30',
      defaultPaymentMethods: ['card'],
      allowPartialPayments: false,
      timeZone: 'UTC',
      defaultCurrency: 'USD',
      brand: { name: 'Acme', logoUrl: null, address: null },
      defaultDomain: null,
    });
  });

  it('trims what was typed, upper-cases the currency, keeps only the filled address lines, and sends blanks as null', () => {
    const f = form({
      brandName: '  ',
      logoUrl: ' https://cdn.example.com/l.png ',
      timeZone: ' Europe/Amsterdam ',
      defaultCurrency: ' eur ',
      domains: ['pay.example.com'],
      defaultDomain: 'pay.example.com',
    });
    f.address = { ...f.address, line1: ' Keizersgracht 1 ', city: 'Amsterdam', region: '  ' };
    expect(settingsBody(f)).toMatchObject({
      timeZone: 'Europe/Amsterdam',
      defaultCurrency: 'EUR',
      brand: { name: null, logoUrl: 'https://cdn.example.com/l.png', address: { line1: 'Keizersgracht 1', city: 'Amsterdam' } },
      defaultDomain: 'pay.example.com',
    });
    // Domains are managed under /api/v1/settings/domains; the PUT leaves them out.
    expect(settingsBody(f)).not.toHaveProperty('domains');
  });

  it('does not share its arrays with the settings it was made from', () => {
    const s = settings({ domains: ['a.example.com'] });
    const f = formFromSettings(s);
    f.domains.push('b.example.com');
    f.defaultPaymentMethods.push('ach');
    expect(s.domains).toEqual(['a.example.com']);
    expect(s.defaultPaymentMethods).toEqual(['card']);
  });
});

describe('accounting mappings form', () => {
  // The service always answers every field; these tests also feed the partial shapes older
  // services stored, which the form must still open.
  type Mappings = Parameters<typeof accountingFormFrom>[0];
  const blank = (): AccountingForm => accountingFormFrom({} as Mappings);

  it('starts from the service defaults: blank text, a byte order mark for plain CSV only, no rows', () => {
    const f = blank();
    expect(f.dateFormat).toBe('');
    expect(Object.keys(f.text)).toEqual(TEXT_FIELDS.map((t) => t.key));
    expect(Object.values(f.text).every((v) => v === '')).toBe(true);
    expect(f.bom).toEqual({ 'xero-csv': false, 'qbo-csv': false, 'qbd-iif': false, csv: true });
    expect(BOM_FORMATS.filter((b) => b.byDefault).map((b) => b.format)).toEqual(['csv']);
    expect(f.items).toEqual([]);
  });

  it('sends only what was filled in, so the service defaults apply to the rest', () => {
    expect(accountingBody(blank())).toEqual({ bom: { 'xero-csv': false, 'qbo-csv': false, 'qbd-iif': false, csv: true }, items: [] });
    const f = blank();
    f.dateFormat = 'MM/DD/YYYY';
    f.text.defaultAccountCode = ' 400 ';
    f.text.taxAccount = '   ';
    f.items = [{ ...emptyItem(), sku: ' ONB-1 ', accountCode: ' 410 ', taxType: '', incomeAccount: ' ' }];
    expect(accountingBody(f)).toEqual({
      bom: { 'xero-csv': false, 'qbo-csv': false, 'qbd-iif': false, csv: true },
      dateFormat: 'MM/DD/YYYY',
      defaultAccountCode: '400',
      items: [{ sku: 'ONB-1', accountCode: '410' }],
    });
  });

  it('round-trips saved mappings', () => {
    const saved = {
      dateFormat: 'DD/MM/YYYY' as const,
      defaultAccountCode: '200',
      receivableAccount: 'AR',
      bom: { 'xero-csv': true, 'qbo-csv': false, 'qbd-iif': false, csv: false },
      items: [{ sku: 'LIC-PRO', accountCode: '420', taxType: 'Tax on Sales', incomeAccount: 'Licences' }, { sku: 'SUP' }],
    };
    const f = accountingFormFrom(saved as unknown as Mappings);
    expect(f.items.map((i) => i.key)).toEqual(['item-0', 'item-1']);
    expect(f.items[1]).toMatchObject({ sku: 'SUP', accountCode: '', taxType: '', incomeAccount: '' });
    expect(accountingBody(f)).toEqual(saved);
  });

  it('needs a SKU on every row, each SKU once (compared trimmed)', () => {
    const f = blank();
    f.items = [
      { ...emptyItem(), sku: 'A' },
      { ...emptyItem(), sku: '  ' },
      { ...emptyItem(), sku: ' A ' },
      { ...emptyItem(), sku: 'B' },
    ];
    expect(checkAccounting(f)).toEqual({ 'items.1.sku': 'Enter the SKU this row maps.', 'items.2.sku': 'This SKU is mapped twice.' });
    expect(checkAccounting(blank())).toEqual({});
  });

  it('gives each new row its own key', () => {
    expect(emptyItem().key).not.toBe(emptyItem().key);
  });
});
