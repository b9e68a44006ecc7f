/**
 * The record card's small helpers (cards/lib): the status a person reads, the record types the
 * card serves, and which of a record's line items a draft can still take.
 */
import { describe, expect, it } from 'vitest';
import { objectTypeFromId } from '../src/app/cards/lib/record';
import { lineFormFromRecord, lineSourceFor, missingLines, sourceNoun } from '../src/app/cards/lib/record-lines';
import { invoiceStatusLabel, invoiceTitle } from '../src/app/cards/lib/status';
import { formFromInvoice } from '../src/app/cards/lib/draft-form';
import { draft, invoice, paid, partiallyPaid, pastDue, recordLines, voided } from './fixtures';

describe('invoice status label', () => {
  it.each([
    ['draft', draft(), 'Draft', 'default'],
    ['open', invoice(), 'Open', 'info'],
    ['partially paid', partiallyPaid, 'Partially paid', 'warning'],
    ['past due', pastDue, 'Past due 5 days', 'error'],
    ['past due one day', invoice({ pastDue: true, daysPastDue: 1 }), 'Past due 1 day', 'error'],
    ['past due and partly paid', invoice({ pastDue: true, daysPastDue: 2, amountPaid: 100 }), 'Past due 2 days', 'error'],
    ['paid', paid, 'Paid', 'success'],
    ['void', voided, 'Void', 'default'],
  ])('%s', (_name, inv, label, variant) => {
    expect(invoiceStatusLabel(inv)).toEqual({ label, variant });
  });

  it('shows a status it does not know as it came', () => {
    expect(invoiceStatusLabel(invoice({ status: 'archived' as never }))).toEqual({ label: 'archived', variant: 'default' });
  });

  it('titles an invoice by its number, a draft as Draft', () => {
    expect(invoiceTitle(invoice())).toBe('INV-1001');
    expect(invoiceTitle(draft())).toBe('Draft');
  });
});

describe('record types', () => {
  it('serves contacts, companies and deals, nothing else', () => {
    expect(objectTypeFromId('0-1')).toBe('contacts');
    expect(objectTypeFromId('0-2')).toBe('companies');
    expect(objectTypeFromId('0-3')).toBe('deals');
    for (const other of ['0-5', '0-14', '2-123', '', 'deals']) expect(objectTypeFromId(other)).toBeNull();
  });
});

describe('lines from the record', () => {
  const deal = { objectType: 'deals' as const, objectId: '301' };

  it('takes lines from the draft source deal or quote first, else from the deal whose card it is', () => {
    expect(lineSourceFor({ source: { objectType: 'quotes', objectId: '7001' } }, deal)).toEqual({ objectType: 'quotes', objectId: '7001' });
    expect(lineSourceFor({ source: { objectType: 'deals', objectId: '302' } }, null)).toEqual({ objectType: 'deals', objectId: '302' });
    expect(lineSourceFor({ source: { objectType: 'contacts', objectId: '101' } }, deal)).toEqual(deal);
    expect(lineSourceFor({ source: null }, deal)).toEqual(deal);
  });

  it('has no source on a contact or company card without a deal or quote source', () => {
    expect(lineSourceFor({ source: null }, { objectType: 'contacts', objectId: '101' })).toBeNull();
    expect(lineSourceFor({ source: { objectType: 'companies', objectId: '201' } }, { objectType: 'companies', objectId: '201' })).toBeNull();
    expect(lineSourceFor({ source: null }, null)).toBeNull();
  });

  it('names the source for labels', () => {
    expect(sourceNoun({ objectType: 'deals', objectId: '1' })).toBe('deal');
    expect(sourceNoun({ objectType: 'quotes', objectId: '1' })).toBe('quote');
  });

  it('offers the record lines the draft lacks, matched by HubSpot line item id', () => {
    const lines = recordLines().data;
    const form = formFromInvoice(draft());
    expect(missingLines(lines, form.lines).map((l) => l.hubspotLineItemId)).toEqual(['124', '125']);
    expect(missingLines(lines, []).map((l) => l.hubspotLineItemId)).toEqual(['123', '124', '125']);
    // Custom lines (no HubSpot id) match nothing.
    const custom = form.lines.map((l) => ({ ...l, keep: { ...l.keep, hubspotLineItemId: null } }));
    expect(missingLines(lines, custom)).toHaveLength(3);
  });

  it('turns a record line into an editable line that keeps its HubSpot ids, in the record currency', () => {
    const [, support, training] = recordLines().data;
    expect(lineFormFromRecord(support!, 'USD')).toMatchObject({
      key: 'crm-124',
      name: 'Support plan',
      quantity: '2',
      unitPrice: '25.00',
      discountKind: 'none',
      taxRate: '',
      keep: { description: 'Monthly', sku: 'SUP-M', hubspotLineItemId: '124', hubspotProductId: '5001' },
    });
    expect(lineFormFromRecord(training!, 'USD')).toMatchObject({ unitPrice: '800.00', discountKind: 'amount', discountValue: '50.00' });
    expect(lineFormFromRecord(training!, 'JPY')).toMatchObject({ unitPrice: '80000', discountValue: '5000' });
    expect(lineFormFromRecord(training!, 'KWD')).toMatchObject({ unitPrice: '80.000', discountValue: '5.000' });
    expect(lineFormFromRecord(training!, 'USD')).not.toHaveProperty('id');
  });
});
