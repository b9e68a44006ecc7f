import { describe, expect, it } from 'vitest';
import type { CrmLineItem, DealBundle, QuoteBundle } from './crm.js';
import { DomainError } from './errors.js';
import { draftFromCompany, draftFromContact, draftFromDeal, draftFromQuote } from './from-crm.js';

function line(over: Partial<CrmLineItem> = {}): CrmLineItem {
  return {
    id: '1',
    name: 'Widget',
    description: '',
    sku: 'W-1',
    quantity: '2',
    price: '10.5',
    discountPercent: null,
    discountAmount: null,
    taxRate: null,
    taxRateGroupId: null,
    productId: '77',
    currency: null,
    ...over,
  };
}

const ada = { id: '101', firstName: 'Ada', lastName: 'Buyer', email: 'ada@example.com', address: { city: 'Utrecht' } };
const acme = { id: '201', name: 'Acme BV', address: { line1: 'Main 1', city: 'Amsterdam', country: '' } };

function deal(lines: CrmLineItem[], currency: string | null = 'USD'): DealBundle {
  return { deal: { id: '301', name: 'Big deal', currency }, lineItems: lines, contacts: [ada], companies: [acme] };
}

describe('drafts from CRM records', () => {
  it('copies a deal: lines in minor units without floats, contacts, primary company, currency', () => {
    const parts = draftFromDeal(deal([line(), line({ id: '2', price: '0.125', quantity: '3', discountPercent: '10', taxRate: '21' })]), 'EUR');
    expect(parts.currency).toBe('USD');
    expect(parts.lineItems).toEqual([
      {
        name: 'Widget',
        description: '',
        sku: 'W-1',
        quantity: '2',
        unitPrice: 1050,
        discount: null,
        taxRate: null,
        hubspotLineItemId: '1',
        hubspotProductId: '77',
      },
      // 0.125 USD rounds half away from zero to 13 cents.
      expect.objectContaining({ unitPrice: 13, quantity: '3', discount: { type: 'percent', value: '10' }, taxRate: '21', hubspotLineItemId: '2' }),
    ]);
    expect(parts.billTo).toEqual({
      contactId: '101',
      name: 'Ada Buyer',
      email: 'ada@example.com',
      companyName: 'Acme BV',
      address: { line1: 'Main 1', city: 'Amsterdam' },
    });
    expect(parts.associations).toEqual({ contacts: ['101'], companies: ['201'], deals: ['301'], quotes: [] });
    expect(parts.source).toEqual({ objectType: 'deals', objectId: '301' });
  });

  it('uses the currency exponent: JPY has none, KWD has three', () => {
    expect(draftFromDeal(deal([line({ price: '500' })], 'JPY'), 'USD').lineItems[0]!.unitPrice).toBe(500);
    expect(draftFromDeal(deal([line({ price: '1.2345' })], 'KWD'), 'USD').lineItems[0]!.unitPrice).toBe(1235);
    expect(draftFromDeal(deal([line({ price: '1234567890.12' })]), 'USD').lineItems[0]!.unitPrice).toBe(123456789012);
  });

  it('turns a fixed HubSpot discount into minor units, and takes the line currency when the deal has none', () => {
    const parts = draftFromDeal(deal([line({ discountAmount: '2.50', currency: 'EUR' })], null), 'USD');
    expect(parts.currency).toBe('EUR');
    expect(parts.lineItems[0]!.discount).toEqual({ type: 'amount', value: '250' });
  });

  it('refuses lines in two currencies and names bad HubSpot numbers', () => {
    expect(() => draftFromDeal(deal([line({ currency: 'USD' }), line({ currency: 'EUR' })], null), 'USD')).toThrow(/one currency/);
    const err = (() => {
      try {
        draftFromDeal(deal([line({ price: 'abc' }), line({ quantity: '1e3' })]), 'USD');
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(err?.code).toBe('crm_data_invalid');
    expect(err?.details.map((d) => d.path)).toEqual(['lineItems[0].unitPrice', 'lineItems[1].quantity']);
  });

  it('converts published quotes only', () => {
    const quote: QuoteBundle = {
      quote: { id: '7001', title: 'Q', status: 'APPROVED', locked: true, currency: 'USD' },
      lineItems: [line()],
      dealIds: ['301'],
      contacts: [ada],
      companies: [acme],
    };
    expect(draftFromQuote(quote, 'USD').associations).toEqual({ contacts: ['101'], companies: ['201'], deals: ['301'], quotes: ['7001'] });
    expect(() => draftFromQuote({ ...quote, quote: { ...quote.quote, locked: false, status: 'DRAFT' } }, 'USD')).toThrow(/not published/);
  });

  it('copies a contact with its primary company, and a company with its contacts', () => {
    expect(draftFromContact({ contact: ada, companies: [acme] }, 'USD')).toMatchObject({
      lineItems: [],
      associations: { contacts: ['101'], companies: ['201'] },
      billTo: { name: 'Ada Buyer' },
    });
    const noEmail = { ...ada, id: '102', email: null };
    expect(draftFromCompany({ company: acme, contacts: [noEmail, ada] }, 'USD').billTo).toMatchObject({ contactId: '101', companyName: 'Acme BV' });
  });
});
