import { Alert, Button, EmptyState, Input, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvoicesCardView } from '../src/app/cards/components/InvoicesCardView';
import type { ObjectType } from '@invoices/shared/lib/types';
import { draft, page, recordLines } from './fixtures';
import { fail, mockService, ok } from './mock-service';
import { textOf } from './text';

const DEAL_INVOICES = 'GET /api/v1/records/deals/9001/invoices';
const DEAL_LINES = 'GET /api/v1/records/deals/9001/line-items';

function renderCard(routes: Parameters<typeof mockService>[0], objectType: ObjectType = 'deals', objectId = '9001') {
  const service = mockService({ 'GET /api/v1/records/deals/9001/quotes': ok(page([])), ...routes });
  const renderer = createRenderer('crm.record.sidebar');
  renderer.render(<InvoicesCardView objectType={objectType} objectId={objectId} />);
  return { ...renderer, service };
}

async function openDraft(r: ReturnType<typeof renderCard>, id = 'draft-1') {
  await r.waitFor(() => r.findByTestId(Button, `open-${id}`));
  r.findByTestId(Button, `open-${id}`).trigger('onClick');
  await r.waitFor(() => expect(r.find(Input, { name: 'line-0-name' })).toBeTruthy());
}

const lineCalls = (r: ReturnType<typeof renderCard>) => r.service.calls.filter((c) => c.path.endsWith('/line-items'));

afterEach(() => vi.restoreAllMocks());

describe("Invoices card: add from the record's line items", () => {
  it('reads the deal only when asked, and lists only the line items the draft lacks', async () => {
    const r = renderCard({ [DEAL_INVOICES]: ok(page([draft()])), [DEAL_LINES]: ok(recordLines()) });
    await openDraft(r);
    expect(r.findByTestId(Button, 'add-from-record').text).toBe('Add from deal');
    expect(lineCalls(r)).toEqual([]);
    r.findByTestId(Button, 'add-from-record').trigger('onClick');
    await r.waitFor(() => r.findByTestId(Button, 'add-record-line-124'));
    expect(lineCalls(r).map((c) => `${c.method} ${c.path}`)).toEqual([DEAL_LINES]);
    // '123' is the draft's own first line.
    expect(r.maybeFind(Button, { testId: 'add-record-line-123' })).toBeNull();
    expect(r.findByTestId(Text, 'record-line-124').text).toBe('Support plan: 2 × USD 25.00');
    expect(r.findByTestId(Text, 'record-line-125').text).toBe('Training day: 1 × USD 800.00');
  });

  it('adds a line as a new, editable line: the live totals follow and the PATCH keeps its HubSpot ids', async () => {
    const r = renderCard({
      [DEAL_INVOICES]: ok(page([draft()])),
      [DEAL_LINES]: ok(recordLines()),
      'PATCH /api/v1/invoices/draft-1': ok(draft({ version: 2 })),
    });
    await openDraft(r);
    expect(r.findByTestId(Text, 'total').text).toBe('USD 163.35');
    r.findByTestId(Button, 'add-from-record').trigger('onClick');
    await r.waitFor(() => r.findByTestId(Button, 'add-record-line-124'));
    r.findByTestId(Button, 'add-record-line-124').trigger('onClick');
    await r.waitFor(() => expect(r.find(Input, { name: 'line-1-name' }).props.value).toBe('Support plan'));
    expect(r.find(Input, { name: 'line-1-quantity' }).props.value).toBe('2');
    expect(r.find(Input, { name: 'line-1-unitPrice' }).props.value).toBe('25.00');
    // 163.35 + 2 x 25.00
    expect(r.findByTestId(Text, 'total').text).toBe('USD 213.35');
    // The added line leaves the offer; the other stays.
    expect(r.maybeFind(Button, { testId: 'add-record-line-124' })).toBeNull();
    expect(r.findByTestId(Button, 'add-record-line-125')).toBeTruthy();

    r.findByTestId(Button, 'save-draft').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('Draft saved.'));
    const patch = r.service.calls.find((c) => c.method === 'PATCH');
    expect((patch?.body as { lineItems: unknown[] }).lineItems[1]).toEqual({
      name: 'Support plan',
      description: 'Monthly',
      sku: 'SUP-M',
      quantity: '2',
      unitPrice: 2500,
      discount: null,
      taxRate: null,
      hubspotLineItemId: '124',
      hubspotProductId: '5001',
    });
  });

  it('"Add all" adds every missing line with its discount and tax, then says none are left', async () => {
    const r = renderCard({ [DEAL_INVOICES]: ok(page([draft()])), [DEAL_LINES]: ok(recordLines()) });
    await openDraft(r);
    r.findByTestId(Button, 'add-from-record').trigger('onClick');
    await r.waitFor(() => r.findByTestId(Button, 'add-all-record-lines'));
    expect(r.findByTestId(Button, 'add-all-record-lines').text).toBe('Add all 2');
    r.findByTestId(Button, 'add-all-record-lines').trigger('onClick');
    await r.waitFor(() => r.findByTestId(Text, 'record-lines-none'));
    expect(r.find(Input, { name: 'line-2-name' }).props.value).toBe('Training day');
    expect(r.find(Input, { name: 'line-2-discountValue' }).props.value).toBe('50.00');
    // 213.35 + (800.00 - 50.00) x 1.21 = 213.35 + 907.50
    expect(r.findByTestId(Text, 'total').text).toBe('USD 1120.85');
  });

  it('offers a removed line again', async () => {
    const r = renderCard({ [DEAL_INVOICES]: ok(page([draft()])), [DEAL_LINES]: ok(recordLines()) });
    await openDraft(r);
    r.findByTestId(Button, 'add-from-record').trigger('onClick');
    await r.waitFor(() => r.findByTestId(Button, 'add-record-line-124'));
    r.findByTestId(Button, 'remove-line-0').trigger('onClick');
    await r.waitFor(() => r.findByTestId(Button, 'add-record-line-123'));
    expect(r.findByTestId(Text, 'total').text).toBe('USD 0.00');
  });

  it("takes lines from the draft's source quote", async () => {
    const quoteDraft = draft({ source: { objectType: 'quotes', objectId: '7001' } });
    const r = renderCard({ [DEAL_INVOICES]: ok(page([quoteDraft])), 'GET /api/v1/records/quotes/7001/line-items': ok(recordLines()) });
    await openDraft(r);
    expect(r.findByTestId(Button, 'add-from-record').text).toBe('Add from quote');
    r.findByTestId(Button, 'add-from-record').trigger('onClick');
    await r.waitFor(() => r.findByTestId(Button, 'add-record-line-125'));
    expect(lineCalls(r).map((c) => c.path)).toEqual(['/api/v1/records/quotes/7001/line-items']);
  });

  it('shows a spinner while the line items load', async () => {
    const r = renderCard({ [DEAL_INVOICES]: ok(page([draft()])), [DEAL_LINES]: 'never' });
    await openDraft(r);
    r.findByTestId(Button, 'add-from-record').trigger('onClick');
    await r.waitFor(() => expect(r.find(LoadingSpinner).props.label).toBe("Loading the deal's line items…"));
  });

  it('shows a failure as an Alert, keeps the draft editable, and retries', async () => {
    const r = renderCard({ [DEAL_INVOICES]: ok(page([draft()])), [DEAL_LINES]: fail(502, 'upstream_error', 'HubSpot answered 503') });
    await openDraft(r);
    r.findByTestId(Button, 'add-from-record').trigger('onClick');
    await r.waitFor(() => r.find(Alert));
    expect(r.find(Alert).props.title).toBe("The deal's line items could not be loaded");
    expect(textOf(r.find(Alert))).toContain('HubSpot did not answer in time');
    expect(r.find(Input, { name: 'line-0-name' }).props.value).toBe('Onboarding');
    r.service.on(DEAL_LINES, ok(recordLines()));
    r.find(Alert).find(Button).trigger('onClick');
    await r.waitFor(() => r.findByTestId(Button, 'add-record-line-124'));
  });

  it('will not add lines priced in another currency than the draft', async () => {
    const r = renderCard({ [DEAL_INVOICES]: ok(page([draft()])), [DEAL_LINES]: ok(recordLines('EUR')) });
    await openDraft(r);
    r.findByTestId(Button, 'add-from-record').trigger('onClick');
    await r.waitFor(() => r.find(Alert));
    expect(textOf(r.find(Alert))).toContain('line items are in EUR and this draft is in USD');
    expect(r.findByTestId(Button, 'add-record-line-124').props.disabled).toBe(true);
  });

  it('is not offered on a contact for a draft without a deal or quote source', async () => {
    const r = renderCard({ 'GET /api/v1/records/contacts/101/invoices': ok(page([draft()])) }, 'contacts', '101');
    await openDraft(r);
    expect(r.maybeFind(Button, { testId: 'add-from-record' })).toBeNull();
    expect(r.maybeFind(EmptyState)).toBeNull();
  });
});
