import { describe, expect, it } from 'vitest';
import { documentOf, documentView, hostedView } from './invoice-document.js';
import type { Invoice } from './invoice.js';
import { noAssociations, totalsOf } from './invoice.js';

function invoice(over: Partial<Invoice> = {}): Invoice {
  const content = {
    currency: 'EUR',
    invoiceDate: '2026-11-28',
    dueDate: '2026-12-28',
    paymentTerms: 'net_30' as const,
    lineItems: [
      {
        name: 'A',
        description: '',
        sku: null,
        quantity: '1.5',
        unitPrice: 10000,
        discount: { type: 'percent' as const, value: '10' },
        taxRate: '21',
        hubspotLineItemId: null,
        hubspotProductId: null,
      },
      {
        name: 'B',
        description: 'x',
        sku: 'B-1',
        quantity: '3',
        unitPrice: 333,
        discount: null,
        taxRate: null,
        hubspotLineItemId: null,
        hubspotProductId: null,
      },
    ],
    adjustments: [
      { kind: 'discount' as const, label: 'Loyalty', type: 'percent' as const, value: '5' },
      { kind: 'fee' as const, label: '', type: 'amount' as const, value: '250' },
      { kind: 'tax' as const, label: 'Eco tax', type: 'amount' as const, value: '100' },
    ],
    paymentMethods: [],
    allowPartialPayments: false,
    buyerComments: '',
    domain: null,
    billTo: { name: 'Ada', email: 'a@example.com', address: { country: 'DE' } },
    associations: noAssociations(),
    source: null,
    warnings: [],
  };
  const totals = totalsOf(content);
  return {
    ...content,
    id: 'id',
    portalId: 1,
    status: 'open',
    number: 'INV-1',
    totals,
    lineIds: ['l1', 'l2'],
    amountPaid: 0,
    creditAmount: 0,
    roundingRule: totals.roundingRule,
    publicToken: 't',
    snapshot: { number: 'INV-1', seller: { brand: { name: 'Seller', address: { country: 'NL' } } } },
    sourceChangedAt: null,
    version: 2,
    createdAt: new Date(0),
    finalizedAt: new Date(0),
    paidAt: null,
    voidedAt: null,
    voidReason: null,
    ...over,
  };
}

describe('invoice document view', () => {
  it('summary rows add up to the total, formatted for the buyer country', () => {
    const inv = invoice();
    const view = documentView(documentOf(inv));
    expect(view.locale).toBe('de-Latn-DE');
    const cents = (s: string) => Number(s.replace(/[^\d-]/g, ''));
    const parts = view.summary.slice(0, -1).reduce((sum, r) => sum + cents(r.amount), 0);
    expect(parts).toBe(inv.totals.total);
    expect(view.summary.at(-1)).toEqual({ label: 'Total', amount: view.total });
    expect(view.summary.map((r) => r.label)).toEqual(['Subtotal', 'Loyalty (5%)', 'Fee', 'Eco tax', 'Tax on lines', 'Total']);
    expect(view.lines[0]).toMatchObject({ quantity: '1,5', unitPrice: '100,00\u00a0€', discount: '-15,00\u00a0€', tax: '21%' });
  });

  it('labels the status: open, partially paid, past due with days, paid, void', () => {
    expect(hostedView(invoice(), '2026-12-28')).toMatchObject({ status: 'open', statusLabel: 'Open' });
    expect(hostedView(invoice({ amountPaid: 100 }), '2026-12-01').status).toBe('partially_paid');
    expect(hostedView(invoice(), '2026-12-29')).toMatchObject({ status: 'past_due', statusLabel: 'Past due (1 day)' });
    expect(hostedView(invoice({ amountPaid: 1 }), '2027-01-08').statusLabel).toBe('Partially paid, past due (11 days)');
    const total = invoice().totals.total;
    expect(hostedView(invoice({ status: 'paid', amountPaid: total }), '2027-01-08')).toMatchObject({ status: 'paid', balanceMinor: 0 });
    expect(hostedView(invoice({ status: 'void' }), '2027-01-08')).toMatchObject({ status: 'void', balanceMinor: 0 });
  });

  it('drops logo URLs that are not https', () => {
    const withLogo = (logoUrl: string) => documentView(documentOf(invoice({ snapshot: { seller: { brand: { name: 'S', logoUrl } } } }))).seller.logoUrl;
    expect(withLogo('https://cdn.example.com/a.png')).toBe('https://cdn.example.com/a.png');
    expect(withLogo('javascript:alert(1)')).toBeNull();
    expect(withLogo('http://cdn.example.com/a.png')).toBeNull();
  });
});
