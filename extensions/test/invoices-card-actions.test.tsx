import { Alert, Button, EmptyState, Input, LoadingButton, Modal, Select, Table, TableRow, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvoicesCardView } from '../src/app/cards/components/InvoicesCardView';
import { draft, invoice, listPage, page, quotes, settings } from './fixtures';
import { fail, mockService, ok } from './mock-service';
import { change, textOf } from './text';

const DEAL_INVOICES = 'GET /api/v1/records/deals/9001/invoices';
const DEAL_QUOTES = 'GET /api/v1/records/deals/9001/quotes';
const SETTINGS = 'GET /api/v1/settings';

function renderDeal(routes: Parameters<typeof mockService>[0]) {
  const service = mockService({ [DEAL_QUOTES]: ok(page([])), [SETTINGS]: ok(settings({ domains: ['billing.example.com'] })), ...routes });
  const renderer = createRenderer('crm.record.sidebar');
  renderer.render(<InvoicesCardView objectType="deals" objectId="9001" />);
  return { ...renderer, service };
}

async function open(r: ReturnType<typeof renderDeal>, id: string) {
  await r.waitFor(() => r.findByTestId(Button, `open-${id}`));
  r.findByTestId(Button, `open-${id}`).trigger('onClick');
  await r.waitFor(() => r.findByTestId(Button, 'back'));
}

const sourced = (overrides = {}) => draft({ source: { objectType: 'deals', objectId: '9001' }, ...overrides });

afterEach(() => vi.restoreAllMocks());

describe('Invoices card: permissions from the list', () => {
  it('hides create, edit, finalize, void and payment actions the user may not take', async () => {
    const denied = { edit: false, finalize: false, void: false, record_payment: false };
    const r = renderDeal({ [DEAL_INVOICES]: ok(listPage([draft(), invoice()], { permissions: denied })), [DEAL_QUOTES]: ok(page(quotes)) });
    await r.waitFor(() => r.find(Table));
    expect(r.maybeFind(LoadingButton, { testId: 'create-invoice' })).toBeNull();
    expect(r.maybeFind(LoadingButton, { testId: 'from-quote-7001' })).toBeNull();
    expect(textOf(r.getRootNode())).toContain('Ask an admin for edit access');

    await open(r, 'draft-1');
    expect(textOf(r.getRootNode())).toContain('You can view this draft but not edit it.');
    expect(r.maybeFind(Input, { name: 'line-0-name' })).toBeNull();
    for (const id of ['save-draft', 'finalize-confirm-button', 'delete-confirm-button', 'resync-confirm-button']) {
      expect(r.maybeFind(Button, { testId: id }), id).toBeNull();
    }
    r.findByTestId(Button, 'back').trigger('onClick');
    await open(r, 'inv-1');
    expect(r.findByTestId(Button, 'copy-link')).toBeTruthy();
    expect(r.maybeFind(Button, { testId: 'record-payment' })).toBeNull();
    expect(r.maybeFind(Modal, { id: 'void-confirm' })).toBeNull();
  });

  it('shows finalize to a user who may finalize but not edit', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(listPage([draft()], { permissions: { edit: false } })) });
    await open(r, 'draft-1');
    await r.waitFor(() => expect(textOf(r.find(Modal, { id: 'finalize-confirm' }))).toContain('INV-1001'));
    expect(r.maybeFind(Button, { testId: 'save-draft' })).toBeNull();
  });

  it('shows every action when everything is allowed', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(listPage([invoice()])) });
    await r.waitFor(() => r.findByTestId(LoadingButton, 'create-invoice'));
    await open(r, 'inv-1');
    expect(r.findByTestId(Button, 'record-payment')).toBeTruthy();
    expect(r.find(Modal, { id: 'void-confirm' })).toBeTruthy();
  });
});

describe('Invoices card: paging', () => {
  it('loads the next page with the cursor and appends it', async () => {
    const second = invoice({ id: 'inv-9', number: 'INV-0999' });
    const r = renderDeal({
      [DEAL_INVOICES]: ok(listPage([invoice()], { nextCursor: 'c2' })),
      [`${DEAL_INVOICES}?cursor=c2`]: ok(listPage([second])),
    });
    await r.waitFor(() => r.findByTestId(LoadingButton, 'load-more'));
    r.findByTestId(LoadingButton, 'load-more').trigger('onClick');
    await r.waitFor(() => expect(r.find(Table).findAll(TableRow)).toHaveLength(3));
    expect(textOf(r.find(Table))).toContain('INV-0999');
    expect(r.maybeFind(LoadingButton, { testId: 'load-more' })).toBeNull();
  });

  it('keeps the list and shows an alert when the next page fails', async () => {
    const r = renderDeal({
      [DEAL_INVOICES]: ok(listPage([invoice()], { nextCursor: 'c2' })),
      [`${DEAL_INVOICES}?cursor=c2`]: fail(500, 'internal', 'boom'),
    });
    await r.waitFor(() => r.findByTestId(LoadingButton, 'load-more'));
    r.findByTestId(LoadingButton, 'load-more').trigger('onClick');
    await r.waitFor(() => expect(r.find(Alert).props.title).toBe('More invoices could not be loaded'));
    expect(r.find(Table).findAll(TableRow)).toHaveLength(2);
  });
});

describe('Invoices card: draft details', () => {
  it('adds an invoice discount, a fee and a tax with live totals and sends them in minor units', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(listPage([draft()])), 'PATCH /api/v1/invoices/draft-1': ok(draft({ version: 2 })) });
    await open(r, 'draft-1');
    // 150.00 - 10% = 135.00; +21% tax = 28.35 -> 163.35
    r.findByTestId(Button, 'add-discount').trigger('onClick');
    await r.waitFor(() => r.find(Input, { name: 'adjustment-0-value' }));
    change(r.find(Input, { name: 'adjustment-0-value' }), '10');
    // 10% of 135.00 = 13.50 -> taxable 121.50, tax 25.52 (rounded) -> 147.02
    await r.waitFor(() => expect(r.findByTestId(Text, 'total').text).toBe('USD 147.02'));
    r.findByTestId(Button, 'add-fee').trigger('onClick');
    await r.waitFor(() => r.find(Select, { name: 'adjustment-1-type' }));
    change(r.find(Select, { name: 'adjustment-1-type' }), 'amount');
    change(r.find(Input, { name: 'adjustment-1-value' }), '5.00');
    change(r.find(Input, { name: 'adjustment-1-label' }), 'Shipping');
    await r.waitFor(() => expect(r.findByTestId(Text, 'total').text).toBe('USD 152.02'));
    r.findByTestId(Button, 'add-tax').trigger('onClick');
    await r.waitFor(() => r.find(Input, { name: 'adjustment-2-value' }));
    change(r.find(Input, { name: 'adjustment-2-value' }), '-1');
    await r.waitFor(() => expect(r.find(Input, { name: 'adjustment-2-value' }).props.validationMessage).toBe('A tax cannot be negative.'));
    r.findByTestId(Button, 'remove-adjustment-2').trigger('onClick');
    r.findByTestId(Button, 'save-draft').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('Draft saved.'));
    expect(r.service.calls.find((c) => c.method === 'PATCH')?.body?.adjustments).toEqual([
      { kind: 'discount', label: '', type: 'percent', value: '10' },
      { kind: 'fee', label: 'Shipping', type: 'amount', value: '500' },
    ]);
  });

  it('edits the currency, the payment page domain and the billing contact', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(listPage([draft()])), 'PATCH /api/v1/invoices/draft-1': ok(draft({ version: 2 })) });
    await open(r, 'draft-1');
    await r.waitFor(() => r.find(Select, { name: 'domain' }));
    expect(r.find(Select, { name: 'domain' }).props.options.map((o: { value: unknown }) => o.value)).toEqual(['', 'billing.example.com']);
    change(r.find(Select, { name: 'domain' }), 'billing.example.com');
    change(r.find(Input, { name: 'currency' }), 'eur');
    change(r.find(Input, { name: 'billTo-name' }), 'Grace Buyer');
    change(r.find(Input, { name: 'billTo-email' }), 'not-an-email');
    await r.waitFor(() => expect(r.find(Input, { name: 'billTo-email' }).props.validationMessage).toContain('email address'));
    r.findByTestId(Button, 'save-draft').trigger('onClick');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.service.calls.some((c) => c.method === 'PATCH')).toBe(false);
    change(r.find(Input, { name: 'billTo-email' }), 'grace@example.com');
    await r.waitFor(() => expect(r.findByTestId(Text, 'total').text).toBe('EUR 163.35'));
    r.findByTestId(Button, 'save-draft').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('Draft saved.'));
    expect(r.service.calls.find((c) => c.method === 'PATCH')?.body).toMatchObject({
      currency: 'EUR',
      domain: 'billing.example.com',
      billTo: { name: 'Grace Buyer', email: 'grace@example.com', companyName: 'Example BV' },
    });
  });

  it('refuses an unknown currency code before calling the service', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(listPage([draft()])) });
    await open(r, 'draft-1');
    change(r.find(Input, { name: 'currency' }), 'EURO');
    await r.waitFor(() => expect(r.find(Input, { name: 'currency' }).props.validationMessage).toContain('3-letter ISO code'));
  });

  it('finalize confirmation names the next number from the settings', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(listPage([draft()])), [SETTINGS]: ok(settings({ nextInvoiceNumber: 'ACME-2001' })) });
    await open(r, 'draft-1');
    await r.waitFor(() => expect(textOf(r.find(Modal, { id: 'finalize-confirm' }))).toContain('ACME-2001'));
    expect(textOf(r.find(Modal, { id: 'finalize-confirm' }))).toContain('becomes final');
  });

  it('finalize confirmation still reads well when the settings cannot be read', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(listPage([draft()])), [SETTINGS]: fail(403, 'forbidden') });
    await open(r, 'draft-1');
    await r.waitFor(() => expect(r.service.calls.some((c) => c.path === '/api/v1/settings')).toBe(true));
    expect(textOf(r.find(Modal, { id: 'finalize-confirm' }))).toContain('gets the next invoice number.');
    expect(r.maybeFind(Alert)).toBeNull();
  });
});

describe('Invoices card: resync and delete drafts', () => {
  it('re-copies a draft from its deal after confirmation, with a hint when the deal changed', async () => {
    const resynced = sourced({ version: 3, lineItems: [{ ...draft().lineItems[0]!, name: 'Onboarding v2' }] });
    const r = renderDeal({ [DEAL_INVOICES]: ok(listPage([sourced({ sourceChanged: true })])), 'POST /api/v1/invoices/draft-1/resync': ok(resynced) });
    await open(r, 'draft-1');
    expect(textOf(r.find(Alert))).toContain('changed in HubSpot');
    expect(textOf(r.find(Modal, { id: 'resync-confirm' }))).toContain('are lost');
    r.findByTestId(Button, 'resync-confirm-confirm').trigger('onClick');
    await r.waitFor(() => expect(r.find(Input, { name: 'line-0-name' }).props.value).toBe('Onboarding v2'));
    expect(r.service.calls.filter((c) => c.path === '/api/v1/invoices/draft-1/resync')).toHaveLength(1);
  });

  it('shows the tax warnings of a draft copied from HubSpot', async () => {
    const warning = {
      code: 'tax_rate_unresolved' as const,
      hubspotLineItemId: '123',
      taxRateGroupId: '399',
      message: 'HubSpot line item 123 (Onboarding) has tax rate group 399, but HubSpot has no such group: set its tax rate by hand.',
    };
    const r = renderDeal({ [DEAL_INVOICES]: ok(listPage([sourced({ warnings: [warning] })])) });
    await open(r, 'draft-1');
    expect(textOf(r.find(Alert))).toContain('tax rate group 399');
  });

  it('offers no re-copy for a draft without a source record', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(listPage([draft()])) });
    await open(r, 'draft-1');
    expect(r.maybeFind(Modal, { id: 'resync-confirm' })).toBeNull();
  });

  it('deletes a draft after confirmation and returns to the list', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(listPage([draft()])), 'DELETE /api/v1/invoices/draft-1': { status: 204 } });
    await open(r, 'draft-1');
    r.service.on(DEAL_INVOICES, ok(listPage([])));
    r.findByTestId(Button, 'delete-confirm-confirm').trigger('onClick');
    await r.waitFor(() => r.find(EmptyState));
    expect(r.service.calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
  });

  it('shows a refused delete as an alert and stays on the draft', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(listPage([draft()])), 'DELETE /api/v1/invoices/draft-1': fail(409, 'invoice_not_editable', 'finalized') });
    await open(r, 'draft-1');
    r.findByTestId(Button, 'delete-confirm-confirm').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('final and can no longer be changed'));
    expect(r.find(Input, { name: 'line-0-name' })).toBeTruthy();
  });
});
