/** The mock catalogue: invoices, quotes and settings as the service presents them. */
import type { Invoice, Quote, Settings } from '../src/app/shared/lib/types';

export function invoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: 'inv-1',
    number: 'INV-1001',
    status: 'open',
    pastDue: false,
    daysPastDue: 0,
    currency: 'USD',
    invoiceDate: '2026-11-28',
    dueDate: '2026-12-28',
    paymentTerms: 'net_30',
    lineItems: [
      { id: 'line-1', name: 'Onboarding', description: '', sku: 'ONB-1', quantity: '1.5', unitPrice: 10000, discount: { type: 'percent', value: '10' }, taxRate: '21', amount: 13500, hubspotLineItemId: '123', hubspotProductId: null },
    ],
    adjustments: [],
    subtotal: 15000,
    discountTotal: 1500,
    feeTotal: 0,
    taxTotal: 2835,
    total: 16335,
    amountPaid: 0,
    balanceDue: 16335,
    paymentMethods: ['card', 'ach'],
    allowPartialPayments: false,
    buyerComments: '',
    domain: null,
    hostedUrl: 'https://billing.example.com/i/tok123',
    billTo: { name: 'Ada Buyer', email: 'ada@example.com', companyName: 'Example BV' },
    version: 2,
    ...overrides,
  };
}

export const draft = (overrides: Partial<Invoice> = {}) =>
  invoice({ id: 'draft-1', number: null, status: 'draft', hostedUrl: null, version: 1, ...overrides });
export const pastDue = invoice({ id: 'inv-2', number: 'INV-1002', pastDue: true, daysPastDue: 5 });
export const partiallyPaid = invoice({ id: 'inv-3', number: 'INV-1003', amountPaid: 6335, balanceDue: 10000 });
export const paid = invoice({ id: 'inv-4', number: 'INV-1004', status: 'paid', amountPaid: 16335, balanceDue: 0 });
export const voided = invoice({ id: 'inv-5', number: 'INV-1005', status: 'void' });
export const yen = invoice({ id: 'inv-6', number: 'INV-1006', currency: 'JPY', total: 500, balanceDue: 500, lineItems: [] });

export const quotes: Quote[] = [
  { id: '7001', title: 'Q-7001', status: 'APPROVED', currency: 'USD', convertible: true },
  { id: '7002', title: 'Q-7002', status: 'DRAFT', currency: 'USD', convertible: false },
];

export const settings = (overrides: Partial<Settings> = {}): Settings => ({
  numberPrefix: 'INV',
  nextNumber: 1001,
  nextInvoiceNumber: 'INV-1001',
  timeZone: 'UTC',
  defaultCurrency: 'USD',
  defaultPaymentTerms: 'net_30',
  defaultPaymentMethods: ['card'],
  allowPartialPayments: false,
  brand: { name: 'Acme', logoUrl: null, address: null },
  domains: [],
  defaultDomain: null,
  version: 3,
  ...overrides,
});

export const page = <T,>(data: T[]) => ({ data, nextCursor: null });
