/**
 * The draft editor's form logic (cards/lib/draft-form.ts and draft-parts.ts) without rendering:
 * money typed as text becomes minor units of the invoice currency (0, 2 and 3 decimals, rounded
 * half away from zero), bad input becomes a message on the field, and the totals come from the
 * service's own engine.
 */
import { describe, expect, it } from 'vitest';
import { adjustmentFormFrom, adjustmentToApi, billToApi, billToForm, emptyAdjustment, type AdjustmentForm } from '../src/app/cards/lib/draft-parts';
import { checkDraft, emptyLine, formFromInvoice, lineFormFromItem, patchBody, type DraftForm, type LineForm } from '../src/app/cards/lib/draft-form';
import { draft, invoice } from './fixtures';

/** A form with one line of 1.5 x `unitPrice`, no discount or tax, in `currency`. */
function formWith(line: Partial<LineForm> = {}, over: Partial<DraftForm> = {}): DraftForm {
  return {
    ...formFromInvoice(draft()),
    lines: [{ ...emptyLine(), name: 'Work', quantity: '1', unitPrice: '10.00', ...line }],
    adjustments: [],
    ...over,
  };
}

const unitPriceOf = (form: DraftForm) => checkDraft(form).lineItems?.[0]?.unitPrice;

describe('checkDraft: unit prices typed as text', () => {
  it.each([
    ['USD', '100.00', 10000],
    ['USD', ' 100 ', 10000],
    ['USD', '0.1', 10],
    ['USD', '0.005', 1],
    ['USD', '12.345', 1235],
    ['USD', '0', 0],
    ['JPY', '500', 500],
    ['JPY', '1234.5', 1235],
    ['JPY', '0.4', 0],
    ['KWD', '1.234', 1234],
    ['KWD', '1.2345', 1235],
    ['KWD', '0.0005', 1],
  ])('%s %j -> %i minor units', (currency, typed, minor) => {
    const checked = checkDraft(formWith({ unitPrice: typed }, { currency }));
    expect(checked.errors).toEqual({});
    expect(checked.lineItems?.[0]?.unitPrice).toBe(minor);
  });

  it('takes a lower-case currency code as the upper-case one', () => {
    expect(unitPriceOf(formWith({ unitPrice: '1.50' }, { currency: ' eur ' }))).toBe(150);
  });

  it.each([
    ['', 'Enter a unit price.'],
    ['   ', 'Enter a unit price.'],
    ['-5', 'The unit price cannot be negative.'],
    ['-0.01', 'The unit price cannot be negative.'],
    ['abc', 'Enter the unit price as a number, like 100.00.'],
    ['1,000.00', 'Enter the unit price as a number, like 100.00.'],
    ['10,5', 'Enter the unit price as a number, like 100.00.'],
    ['.5', 'Enter the unit price as a number, like 100.00.'],
    ['5.', 'Enter the unit price as a number, like 100.00.'],
    ['1e3', 'Enter the unit price as a number, like 100.00.'],
    ['+5', 'Enter the unit price as a number, like 100.00.'],
    ['007', 'Enter the unit price as a number, like 100.00.'],
    ['$10', 'Enter the unit price as a number, like 100.00.'],
  ])('refuses the unit price %j: %s', (typed, message) => {
    const checked = checkDraft(formWith({ unitPrice: typed }));
    expect(checked.errors).toEqual({ 'lines.0.unitPrice': message });
    expect(checked).toMatchObject({ lineItems: null, adjustments: null, totals: null });
  });

  it('names every bad line and field at once, by index', () => {
    const form = formWith({}, {});
    form.lines = [
      { ...emptyLine(), name: ' ', unitPrice: '' },
      { ...emptyLine(), name: 'Fine', unitPrice: '1.00' },
      { ...emptyLine(), name: 'Bad', unitPrice: 'x' },
    ];
    expect(checkDraft(form).errors).toEqual({
      'lines.0.name': 'Enter a name for this line.',
      'lines.0.unitPrice': 'Enter a unit price.',
      'lines.2.unitPrice': 'Enter the unit price as a number, like 100.00.',
    });
  });
});

describe('checkDraft: line discounts', () => {
  it('turns an amount discount into minor units of the currency, and a blank one into 0', () => {
    const line = (discountValue: string, currency: string) =>
      checkDraft(formWith({ unitPrice: '100', discountKind: 'amount', discountValue }, { currency })).lineItems?.[0]?.discount;
    expect(line('5.00', 'USD')).toEqual({ type: 'amount', value: '500' });
    expect(line('5', 'JPY')).toEqual({ type: 'amount', value: '5' });
    expect(line('0.125', 'KWD')).toEqual({ type: 'amount', value: '125' });
    expect(line('0.015', 'USD')).toEqual({ type: 'amount', value: '2' });
    expect(line('', 'USD')).toEqual({ type: 'amount', value: '0' });
  });

  it('keeps a percent discount as typed (the engine checks it), a blank one as 0, and none as null', () => {
    const discount = (kind: LineForm['discountKind'], value: string) =>
      checkDraft(formWith({ discountKind: kind, discountValue: value })).lineItems?.[0]?.discount;
    expect(discount('percent', ' 12.5 ')).toEqual({ type: 'percent', value: '12.5' });
    expect(discount('percent', '')).toEqual({ type: 'percent', value: '0' });
    expect(discount('none', '99')).toBeNull();
  });

  it.each([
    ['amount', '-1', 'A discount cannot be negative.'],
    ['percent', '-10', 'A discount cannot be negative.'],
    ['amount', 'five', 'Enter the discount as an amount, like 5.00.'],
    ['amount', '5,00', 'Enter the discount as an amount, like 5.00.'],
  ] as const)('refuses a %s discount of %j', (kind, value, message) => {
    const checked = checkDraft(formWith({ discountKind: kind, discountValue: value }));
    expect(checked.errors).toEqual({ 'lines.0.discountValue': message });
    expect(checked.totals).toBeNull();
  });

  it('maps the engine refusing a discount over 100 % or larger than the line to the discount field', () => {
    for (const line of [
      { discountKind: 'percent' as const, discountValue: '150' },
      { discountKind: 'amount' as const, discountValue: '10.01' },
    ]) {
      const checked = checkDraft(formWith({ unitPrice: '10.00', ...line }));
      expect(checked.errors).toEqual({ 'lines.0.discountValue': 'The discount must be between 0 and 100% and not larger than the line.' });
      expect(checked.totals).toBeNull();
    }
  });
});

describe('checkDraft: quantities, tax rates, currency, dates', () => {
  it.each([['0'], ['-1'], ['abc'], [''], ['1,5']])('maps a quantity of %j to the quantity field', (quantity) => {
    const checked = checkDraft(formWith({ quantity }));
    expect(checked.errors).toEqual({ 'lines.0.quantity': 'Enter a quantity greater than 0, like 1 or 1.5.' });
    expect(checked.totals).toBeNull();
  });

  it.each([['101'], ['-1'], ['ten']])('maps a tax rate of %j to the tax rate field', (taxRate) => {
    expect(checkDraft(formWith({ taxRate })).errors).toEqual({ 'lines.0.taxRate': 'Enter a tax rate between 0 and 100.' });
  });

  it('sends a blank tax rate as null and trims name, quantity and rate', () => {
    const [item] = checkDraft(formWith({ name: '  Work ', quantity: ' 2 ', taxRate: '  ' })).lineItems!;
    expect(item).toMatchObject({ name: 'Work', quantity: '2', taxRate: null });
    expect(checkDraft(formWith({ taxRate: ' 21 ' })).lineItems![0]!.taxRate).toBe('21');
  });

  it.each([[''], ['US'], ['USDX'], ['U5D']])('refuses the malformed currency %j', (currency) => {
    const checked = checkDraft(formWith({}, { currency }));
    expect(checked.errors.currency).toBe('Enter a currency the service knows, as a 3-letter ISO code such as USD or EUR.');
    expect(checked.totals).toBeNull();
  });

  it('refuses a well-formed currency the engine does not know', () => {
    const checked = checkDraft(formWith({}, { currency: 'XYZ', lines: [] }));
    expect(checked.errors).toEqual({ currency: 'Enter a currency the service knows, as a 3-letter ISO code such as USD or EUR.' });
    expect(checked.totals).toBeNull();
  });

  it('refuses a due date before the invoice date but still computes the totals', () => {
    const checked = checkDraft(formWith({}, { invoiceDate: '2026-11-28', dueDate: '2026-11-27' }));
    expect(checked.errors).toEqual({ dueDate: 'The due date cannot be before the invoice date.' });
    expect(checked.totals?.total).toBe(1000);
    expect(checkDraft(formWith({}, { invoiceDate: '2026-11-28', dueDate: '2026-11-28' })).errors).toEqual({});
  });

  it('computes totals of an empty draft as zero', () => {
    expect(checkDraft(formWith({}, { lines: [] })).totals).toMatchObject({ subtotal: 0, total: 0 });
  });
});

describe('checkDraft: totals from the service engine', () => {
  it('gives the service totals for the fixture invoice (1.5 x 100.00, 10 %, 21 % tax)', () => {
    expect(checkDraft(formFromInvoice(draft())).totals).toMatchObject({ subtotal: 15000, discountTotal: 1500, taxTotal: 2835, total: 16335 });
  });

  it('rounds each line half away from zero: 3 x 0.333 at 10 % tax', () => {
    const totals = checkDraft(formWith({ quantity: '0.333', unitPrice: '0.05', taxRate: '10' })).totals!;
    // 0.333 x 5 cents = 1.665 -> 2 cents; its 10 % tax 0.2 -> 0.
    expect(totals).toMatchObject({ subtotal: 2, taxTotal: 0, total: 2 });
  });

  it('computes JPY without decimals and KWD with three', () => {
    expect(checkDraft(formWith({ quantity: '3', unitPrice: '1000', taxRate: '10' }, { currency: 'JPY' })).totals).toMatchObject({
      subtotal: 3000,
      taxTotal: 300,
      total: 3300,
    });
    expect(checkDraft(formWith({ quantity: '2', unitPrice: '1.005', taxRate: '5' }, { currency: 'KWD' })).totals).toMatchObject({
      subtotal: 2010,
      taxTotal: 101,
      total: 2111,
    });
  });
});

describe('invoice-level adjustments', () => {
  const adj = (over: Partial<AdjustmentForm>): AdjustmentForm => ({ ...emptyAdjustment('fee'), ...over });

  it.each([
    [{ type: 'amount' as const, value: '25.00' }, 'USD', '2500'],
    [{ type: 'amount' as const, value: '25' }, 'JPY', '25'],
    [{ type: 'amount' as const, value: '1.5' }, 'KWD', '1500'],
    [{ type: 'amount' as const, value: '0.005' }, 'USD', '1'],
    [{ type: 'percent' as const, value: ' 7.5 ' }, 'USD', '7.5'],
  ])('%j in %s is sent as %j', (form, currency, value) => {
    const errors = {};
    expect(adjustmentToApi(adj({ ...form, label: ' Shipping ' }), 0, currency, errors)).toEqual({ kind: 'fee', label: 'Shipping', type: form.type, value });
    expect(errors).toEqual({});
  });

  it.each([
    [{ type: 'percent' as const, value: '' }, 'Enter a percentage, like 5.'],
    [{ type: 'amount' as const, value: ' ' }, 'Enter an amount, like 25.00.'],
    [{ type: 'amount' as const, value: '-1' }, 'A fee cannot be negative.'],
    [{ type: 'amount' as const, value: '1.2.3' }, 'Enter the amount as a number, like 25.00.'],
  ])('refuses %j', (form, message) => {
    const errors: Record<string, string> = {};
    expect(adjustmentToApi(adj(form), 2, 'USD', errors)).toBeNull();
    expect(errors).toEqual({ 'adjustments.2.value': message });
  });

  it('names the kind in the negative message', () => {
    const errors: Record<string, string> = {};
    adjustmentToApi({ ...emptyAdjustment('discount'), value: '-5' }, 0, 'USD', errors);
    expect(errors['adjustments.0.value']).toBe('A discount cannot be negative.');
  });

  it('maps the engine refusing a percentage over 100 to the adjustment', () => {
    const checked = checkDraft(formWith({}, { adjustments: [adj({ kind: 'discount', value: '101' })] }));
    expect(checked.errors).toEqual({ 'adjustments.0.value': 'Percentages go from 0 to 100, and a discount cannot be larger than what it applies to.' });
    expect(checked.totals).toBeNull();
  });

  it('shows stored amounts in major units of the currency, and percentages as they are', () => {
    expect(adjustmentFormFrom({ kind: 'fee', label: 'Ship', type: 'amount', value: '500' }, 'USD', 3)).toEqual({
      key: 'adj-3',
      kind: 'fee',
      label: 'Ship',
      type: 'amount',
      value: '5.00',
    });
    expect(adjustmentFormFrom({ kind: 'fee', label: 'Ship', type: 'amount', value: '500' }, 'JPY', 0).value).toBe('500');
    expect(adjustmentFormFrom({ kind: 'tax', label: 'VAT', type: 'amount', value: '1234' }, 'KWD', 0).value).toBe('1.234');
    expect(adjustmentFormFrom({ kind: 'discount', label: 'Early', type: 'percent', value: '5' }, 'USD', 0)).toMatchObject({ label: 'Early', value: '5' });
  });

  it('gives each new adjustment its own key', () => {
    expect(emptyAdjustment('tax').key).not.toBe(emptyAdjustment('tax').key);
    expect(emptyAdjustment('tax')).toMatchObject({ kind: 'tax', label: '', type: 'percent', value: '' });
  });
});

describe('billing contact', () => {
  it('is null when every field is empty, and empty fields become null otherwise', () => {
    const errors = {};
    expect(billToApi(billToForm(null), errors)).toBeNull();
    expect(billToApi({ ...billToForm(null), name: '  ' }, errors)).toBeNull();
    expect(billToApi({ ...billToForm(null), name: ' Ada ' }, errors)).toEqual({ contactId: null, name: 'Ada', email: null, companyName: null });
    expect(billToApi({ ...billToForm(null), contactId: '101' }, errors)).toEqual({ contactId: '101', name: null, email: null, companyName: null });
    expect(errors).toEqual({});
  });

  it.each([['ada'], ['ada@'], ['ada@example'], ['a da@example.com'], ['@example.com']])('refuses the email %j', (email) => {
    const errors: Record<string, string> = {};
    billToApi({ ...billToForm(null), email }, errors);
    expect(errors).toEqual({ 'billTo.email': 'Enter an email address like ada@example.com.' });
  });

  it('keeps the contact id and the address it came with', () => {
    const address = { line1: 'Main St 1', city: 'Utrecht', postalCode: '3511', country: 'NL' };
    const form = billToForm({ contactId: '7', name: 'Ada', email: 'ada@example.com', companyName: null, address });
    expect(form).toEqual({ contactId: '7', name: 'Ada', email: 'ada@example.com', companyName: '', address });
    expect(billToApi(form, {})).toEqual({ contactId: '7', name: 'Ada', email: 'ada@example.com', companyName: null, address });
  });
});

describe('form <-> invoice', () => {
  it('shows stored minor units as decimals of the currency', () => {
    const item = { name: 'X', quantity: '1', unitPrice: 1234, discount: { type: 'amount' as const, value: '500' }, taxRate: null };
    expect(lineFormFromItem(item, 'USD', 0)).toMatchObject({ key: 'line-0', unitPrice: '12.34', discountKind: 'amount', discountValue: '5.00', taxRate: '' });
    expect(lineFormFromItem(item, 'JPY', 1)).toMatchObject({ key: 'line-1', unitPrice: '1234', discountValue: '500' });
    expect(lineFormFromItem(item, 'KWD', 0)).toMatchObject({ unitPrice: '1.234', discountValue: '0.500' });
    // An unknown currency shows the raw number rather than breaking the card.
    expect(lineFormFromItem(item, 'XYZ', 0)).toMatchObject({ unitPrice: '1234', discountValue: '500' });
  });

  it('round-trips the fixture invoice unchanged through the form', () => {
    const inv = draft();
    const form = formFromInvoice(inv);
    expect(form).toMatchObject({ currency: 'USD', domain: '', invoiceDate: '2026-11-28', paymentTerms: 'net_30', buyerComments: '' });
    const checked = checkDraft(form);
    expect(checked.errors).toEqual({});
    const body = patchBody(form, checked, inv.version);
    // id and the computed amounts are the service's answer, never sent back.
    const { id: _id, amount: _amount, discountAmount: _discount, taxAmount: _tax, ...line } = inv.lineItems[0]!;
    expect(body.lineItems).toEqual([line]);
    expect(body).toMatchObject({ version: 1, currency: 'USD', domain: null, invoiceDate: '2026-11-28', paymentMethods: ['card', 'ach'], adjustments: [] });
    expect(body).not.toHaveProperty('dueDate');
  });

  it('sends the due date only with custom terms, and a chosen domain as is', () => {
    const form = { ...formFromInvoice(invoice({ domain: 'billing.example.com' })), paymentTerms: 'custom' as const, dueDate: '2027-01-15', currency: ' usd ' };
    const body = patchBody(form, checkDraft(form), 4);
    expect(body).toMatchObject({ version: 4, currency: 'USD', domain: 'billing.example.com', paymentTerms: 'custom', dueDate: '2027-01-15' });
    const noDate = { ...form, invoiceDate: null };
    expect(patchBody(noDate, checkDraft(noDate), 4)).not.toHaveProperty('invoiceDate');
  });

  it('gives each new line its own key and the defaults a person expects', () => {
    const [a, b] = [emptyLine(), emptyLine()];
    expect(a.key).not.toBe(b.key);
    expect(a).toMatchObject({ name: '', quantity: '1', unitPrice: '', discountKind: 'none', discountValue: '', taxRate: '' });
  });
});
