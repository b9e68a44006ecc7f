import { Alert, Button, DateInput, EmptyState, Input, LoadingButton, LoadingSpinner, Modal, Table, TableRow, Tag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvoicesCardView } from '../src/app/cards/components/InvoicesCardView';
import { draft, invoice, page, paid, partiallyPaid, pastDue, quotes, voided, yen } from './fixtures';
import { created, fail, mockService, ok } from './mock-service';
import { change, textOf } from './text';

const DEAL_INVOICES = 'GET /api/v1/records/deals/9001/invoices';
const DEAL_QUOTES = 'GET /api/v1/records/deals/9001/quotes';

function renderDeal(routes: Parameters<typeof mockService>[0]) {
  const service = mockService({ [DEAL_QUOTES]: ok(page([])), ...routes });
  const renderer = createRenderer('crm.record.sidebar');
  renderer.render(<InvoicesCardView objectType="deals" objectId="9001" />);
  return { ...renderer, service };
}

/** Opens the draft's editor from the list. */
async function openDraft(r: ReturnType<typeof renderDeal>, id = 'draft-1') {
  await r.waitFor(() => r.findByTestId(Button, `open-${id}`));
  r.findByTestId(Button, `open-${id}`).trigger('onClick');
  await r.waitFor(() => expect(r.find(Input, { name: 'line-0-name' })).toBeTruthy());
}

afterEach(() => vi.restoreAllMocks());

describe('Invoices card: states', () => {
  it('shows a spinner while the invoices load', () => {
    const r = renderDeal({ [DEAL_INVOICES]: 'never' });
    expect(r.find(LoadingSpinner)).toBeTruthy();
    expect(r.maybeFind(Table)).toBeNull();
  });

  it('shows an empty state with "Create invoice" when the record has none', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([])) });
    await r.waitFor(() => r.find(EmptyState));
    expect(r.find(EmptyState).props.title).toBe('No invoices yet');
    expect(r.findByTestId(LoadingButton, 'create-invoice').text).toBe('Create invoice');
  });

  it('shows a readable alert for a service error, and retries', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: fail(401, 'hubspot_reauth_required', 'refresh token refused') });
    await r.waitFor(() => r.find(Alert));
    expect(r.find(Alert).props.title).toBe('Invoices could not be loaded');
    expect(textOf(r.find(Alert))).toContain('lost its connection to HubSpot');
    r.service.on(DEAL_INVOICES, ok(page([invoice()])));
    r.find(Alert).find(Button).trigger('onClick');
    await r.waitFor(() => r.find(Table));
  });

  it('never goes blank: network failures and non-JSON 500s become alerts', async () => {
    const down = renderDeal({ [DEAL_INVOICES]: 'network-error' });
    await down.waitFor(() => expect(textOf(down.find(Alert))).toContain('could not be reached'));
    vi.restoreAllMocks();
    const broken = renderDeal({ [DEAL_INVOICES]: { status: 500 } });
    await broken.waitFor(() => expect(textOf(broken.find(Alert))).toContain('had a problem'));
  });

  it('sends every request through hubspot.fetch with a timeout to the configured origin', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([])) });
    await r.waitFor(() => r.find(EmptyState));
    expect(r.service.calls.map((c) => `${c.method} ${c.path}`)).toEqual([DEAL_INVOICES, DEAL_QUOTES]);
    expect(r.service.calls.every((c) => c.timeout === 10_000)).toBe(true);
  });
});

describe('Invoices card: list', () => {
  it('lists number or Draft, status tag, total, balance and due date', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([draft(), invoice(), pastDue, partiallyPaid, paid, voided, yen])) });
    await r.waitFor(() => r.find(Table));
    const rows = r.find(Table).findAll(TableRow).slice(1);
    expect(rows).toHaveLength(7);
    expect(textOf(rows[0]!)).toContain('Draft');
    expect(rows.map((row) => row.find(Tag).text)).toEqual(['Draft', 'Open', 'Past due 5 days', 'Partially paid', 'Paid', 'Void', 'Open']);
    expect(textOf(rows[1]!)).toContain('INV-1001');
    expect(textOf(rows[1]!)).toContain('USD 163.35');
    expect(textOf(rows[1]!)).toContain('Dec 28, 2026');
    expect(textOf(rows[3]!)).toContain('USD 100.00'); // balance after a partial payment
    expect(textOf(rows[6]!)).toContain('JPY 500'); // zero-decimal currency
  });

  it('offers "From quote" on deals for published quotes only', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([])), [DEAL_QUOTES]: ok(page(quotes)) });
    await r.waitFor(() => r.findByTestId(LoadingButton, 'from-quote-7001'));
    expect(r.maybeFind(LoadingButton, { testId: 'from-quote-7002' })).toBeNull();
  });

  it('does not ask for quotes on a contact', async () => {
    const service = mockService({ 'GET /api/v1/records/contacts/101/invoices': ok(page([])) });
    const r = createRenderer('crm.record.sidebar');
    r.render(<InvoicesCardView objectType="contacts" objectId="101" />);
    await r.waitFor(() => r.find(EmptyState));
    expect(service.calls.map((c) => c.path)).toEqual(['/api/v1/records/contacts/101/invoices']);
  });
});

describe('Invoices card: create and edit', () => {
  it('"Create invoice" posts the record as source and opens the new draft', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([])), 'POST /api/v1/invoices': created(draft()) });
    await r.waitFor(() => r.findByTestId(LoadingButton, 'create-invoice'));
    r.service.on(DEAL_INVOICES, ok(page([draft()])));
    r.findByTestId(LoadingButton, 'create-invoice').trigger('onClick');
    await r.waitFor(() => r.find(Input, { name: 'line-0-name' }));
    const post = r.service.calls.find((c) => c.method === 'POST');
    // requestId: the service's idempotency key for HubSpot's retry of this create.
    expect(post?.body).toEqual({ source: { objectType: 'deals', objectId: '9001' }, requestId: expect.stringMatching(/^card-[0-9a-f-]{32,36}$/) });
    expect(r.find(Input, { name: 'line-0-name' }).props.value).toBe('Onboarding');
    expect(r.findByTestId(Text, 'total').text).toBe('USD 163.35');
  });

  it('"From quote" creates the draft from the quote', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([])), [DEAL_QUOTES]: ok(page(quotes)), 'POST /api/v1/invoices': created(draft()) });
    await r.waitFor(() => r.findByTestId(LoadingButton, 'from-quote-7001'));
    r.findByTestId(LoadingButton, 'from-quote-7001').trigger('onClick');
    await r.waitFor(() => r.find(Input, { name: 'line-0-name' }));
    expect(r.service.calls.find((c) => c.method === 'POST')?.body).toEqual({
      source: { objectType: 'quotes', objectId: '7001' },
      requestId: expect.stringMatching(/^card-/),
    });
  });

  it('shows a create failure as an alert and keeps the list', async () => {
    const r = renderDeal({
      [DEAL_INVOICES]: ok(page([invoice()])),
      'POST /api/v1/invoices': fail(422, 'quote_not_published', 'Quote 7001 is not published'),
    });
    await r.waitFor(() => r.find(Table));
    r.findByTestId(LoadingButton, 'create-invoice').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('Quote 7001 is not published'));
    expect(r.find(Table)).toBeTruthy();
  });

  it('recomputes the totals live with the shared money module', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([draft()])) });
    await openDraft(r);
    change(r.find(Input, { name: 'line-0-quantity' }), '3');
    // 3 x 100.00 = 300.00, -10% = 270.00, +21% tax = 56.70 -> 326.70
    await r.waitFor(() => expect(r.findByTestId(Text, 'total').text).toBe('USD 326.70'));
    r.findByTestId(Button, 'add-line').trigger('onClick');
    await r.waitFor(() => r.find(Input, { name: 'line-1-name' }));
    change(r.find(Input, { name: 'line-1-name' }), 'Support');
    change(r.find(Input, { name: 'line-1-unitPrice' }), '0.05');
    await r.waitFor(() => expect(r.findByTestId(Text, 'total').text).toBe('USD 326.75'));
    r.findByTestId(Button, 'remove-line-0').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'total').text).toBe('USD 0.05'));
  });

  it('shows validation messages: empty line name, negative price, due date before invoice date', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([draft()])) });
    await openDraft(r);
    change(r.find(Input, { name: 'line-0-name' }), '  ');
    change(r.find(Input, { name: 'line-0-unitPrice' }), '-5');
    change(r.find(DateInput, { name: 'dueDate' }), { year: 2026, month: 10, date: 1 });
    await r.waitFor(() => expect(r.find(Input, { name: 'line-0-name' }).props.validationMessage).toBe('Enter a name for this line.'));
    expect(r.find(Input, { name: 'line-0-unitPrice' }).props.validationMessage).toBe('The unit price cannot be negative.');
    expect(r.find(DateInput, { name: 'dueDate' }).props.validationMessage).toBe('The due date cannot be before the invoice date.');
    expect(textOf(r.findByTestId(Text, 'totals-hint'))).toContain('Fix the highlighted fields');
    r.findByTestId(Button, 'save-draft').trigger('onClick');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.service.calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('saves the draft with its version and the edited lines', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([draft()])), 'PATCH /api/v1/invoices/draft-1': ok(draft({ version: 2, buyerComments: 'Thanks' })) });
    await openDraft(r);
    change(r.find(Input, { name: 'line-0-unitPrice' }), '120.50');
    r.findByTestId(Button, 'save-draft').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('Draft saved.'));
    const patch = r.service.calls.find((c) => c.method === 'PATCH');
    expect(patch?.body).toMatchObject({
      version: 1,
      paymentTerms: 'net_30',
      lineItems: [
        { name: 'Onboarding', quantity: '1.5', unitPrice: 12050, discount: { type: 'percent', value: '10' }, taxRate: '21', hubspotLineItemId: '123' },
      ],
    });
  });

  it('shows a stale-version save as a readable alert', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([draft()])), 'PATCH /api/v1/invoices/draft-1': fail(409, 'version_conflict', 'stale') });
    await openDraft(r);
    change(r.find(Input, { name: 'line-0-quantity' }), '2');
    r.findByTestId(Button, 'save-draft').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('Someone else changed this invoice'));
  });
});

describe('Invoices card: finalize and after', () => {
  it('asks for confirmation saying the invoice becomes final and gets the next number', async () => {
    const finalized = invoice({ id: 'draft-1', number: 'INV-1001', version: 2 });
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([draft()])), 'POST /api/v1/invoices/draft-1/finalize': ok(finalized) });
    await openDraft(r);
    const modal = r.find(Modal, { id: 'finalize-confirm' });
    expect(textOf(modal)).toContain('becomes final');
    expect(textOf(modal)).toContain('gets the next invoice number');
    expect(r.service.calls.some((c) => c.path.endsWith('/finalize'))).toBe(false);
    r.findByTestId(Button, 'finalize-confirm-confirm').trigger('onClick');
    expect(r.mocks.actions.closeOverlay.calls[0]?.[0]).toBe('finalize-confirm');
    await r.waitFor(() => r.findByTestId(Button, 'copy-link'));
    expect(r.service.calls.filter((c) => c.path.endsWith('/finalize'))).toHaveLength(1);
    expect(r.find(Tag).text).toBe('Open');
  });

  it('cancelling the confirmation finalizes nothing', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([draft()])) });
    await openDraft(r);
    r.findByTestId(Button, 'finalize-confirm-cancel').trigger('onClick');
    expect(r.mocks.actions.closeOverlay.calls[0]?.[0]).toBe('finalize-confirm');
    expect(r.service.calls.some((c) => c.path.endsWith('/finalize'))).toBe(false);
  });

  it('shows why finalize was refused', async () => {
    const r = renderDeal({
      [DEAL_INVOICES]: ok(page([draft()])),
      'POST /api/v1/invoices/draft-1/finalize': fail(422, 'invoice_not_finalizable', 'The invoice cannot be finalized', [
        { path: 'billTo.email', message: 'a billing contact with an email is required' },
      ]),
    });
    await openDraft(r);
    r.findByTestId(Button, 'finalize-confirm-confirm').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('billTo.email: a billing contact with an email is required'));
  });

  it('copies the payment link of an open invoice', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([invoice()])) });
    await r.waitFor(() => r.findByTestId(Button, 'open-inv-1'));
    r.findByTestId(Button, 'open-inv-1').trigger('onClick');
    await r.waitFor(() => r.findByTestId(Button, 'copy-link'));
    r.findByTestId(Button, 'copy-link').trigger('onClick');
    await r.waitFor(() => expect(r.mocks.actions.copyTextToClipboard.calls[0]?.[0]).toBe('https://billing.example.com/i/tok123'));
  });

  it('records a payment in minor units and voids only after confirmation', async () => {
    const r = renderDeal({
      [DEAL_INVOICES]: ok(page([invoice()])),
      'POST /api/v1/invoices/inv-1/payments': ok(partiallyPaid),
    });
    await r.waitFor(() => r.findByTestId(Button, 'open-inv-1'));
    r.findByTestId(Button, 'open-inv-1').trigger('onClick');
    await r.waitFor(() => r.find(Input, { name: 'paymentAmount' }));
    expect(r.find(Input, { name: 'paymentAmount' }).props.value).toBe('163.35');
    expect(textOf(r.find(Modal, { id: 'void-confirm' }))).toContain('can no longer be paid');
    change(r.find(Input, { name: 'paymentAmount' }), '63.35');
    r.findByTestId(Button, 'record-payment').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('Payment recorded.'));
    expect(r.service.calls.find((c) => c.path.endsWith('/payments'))?.body).toEqual({ amount: 6335, method: 'bank_transfer' });
    // A partly paid invoice cannot be voided.
    expect(r.maybeFind(Modal, { id: 'void-confirm' })).toBeNull();
  });

  it('refuses a payment above the balance before calling the service', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([invoice()])) });
    await r.waitFor(() => r.findByTestId(Button, 'open-inv-1'));
    r.findByTestId(Button, 'open-inv-1').trigger('onClick');
    await r.waitFor(() => r.find(Input, { name: 'paymentAmount' }));
    change(r.find(Input, { name: 'paymentAmount' }), '200');
    r.findByTestId(Button, 'record-payment').trigger('onClick');
    await r.waitFor(() => expect(r.find(Input, { name: 'paymentAmount' }).props.validationMessage).toBe('The amount cannot be more than the balance due.'));
    expect(r.service.calls.some((c) => c.path.endsWith('/payments'))).toBe(false);
  });

  it('voids an open invoice after confirmation', async () => {
    const r = renderDeal({ [DEAL_INVOICES]: ok(page([invoice()])), 'POST /api/v1/invoices/inv-1/void': ok(invoice({ status: 'void' })) });
    await r.waitFor(() => r.findByTestId(Button, 'open-inv-1'));
    r.findByTestId(Button, 'open-inv-1').trigger('onClick');
    await r.waitFor(() => r.findByTestId(Button, 'void-confirm-confirm'));
    r.findByTestId(Button, 'void-confirm-confirm').trigger('onClick');
    await r.waitFor(() => expect(r.find(Tag).text).toBe('Void'));
    expect(r.service.calls.find((c) => c.path.endsWith('/void'))?.body).toEqual({ reason: '' });
  });
});
