/** Request bodies for tests: a valid draft, overridable field by field. */
export function draftBody(overrides: Record<string, unknown> = {}) {
  return {
    currency: 'USD',
    invoiceDate: '2026-11-28',
    paymentTerms: 'net_30',
    lineItems: [{ name: 'Onboarding', sku: 'ONB-1', quantity: '1.5', unitPrice: 10000, discount: { type: 'percent', value: '10' }, taxRate: '21' }],
    billTo: { name: 'Ada Buyer', email: 'ada@example.com', companyName: 'Example BV' },
    associations: { contacts: ['101'], companies: ['201'], deals: ['301'] },
    ...overrides,
  };
}
