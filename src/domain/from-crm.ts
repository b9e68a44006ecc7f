import {
  isQuotePublished,
  type CompanyBundle,
  type ContactBundle,
  type CrmCompany,
  type CrmContact,
  type CrmLineItem,
  type DealBundle,
  type QuoteBundle,
} from './crm.js';
import type { DraftWarning } from './crm-tax.js';
import { DomainError, type FieldIssue } from './errors.js';
import type { Address, BillTo, Discount, LineItemInput, ObjectType } from './invoice.js';
import { isKnownCurrency } from './money/currencies.js';
import { formatDecimal, parseDecimal } from './money/decimal.js';
import { decimalStringToMinor } from './money/format.js';

/** The parts of a draft that come from a CRM record; the rest comes from the portal's defaults. */
export interface CrmDraftParts {
  currency: string;
  lineItems: LineItemInput[];
  billTo: BillTo | null;
  associations: Record<ObjectType, string[]>;
  source: { objectType: ObjectType; objectId: string };
  /** What could not be copied faithfully (filled in by the caller that resolved the tax rates). */
  warnings: DraftWarning[];
}

/**
 * Copies a deal into draft parts: its line items (new copies, not HubSpot's: a line item belongs
 * to one parent), contacts, companies (primary first) and currency.
 */
export function draftFromDeal(bundle: DealBundle, fallbackCurrency: string): CrmDraftParts {
  const currency = pickCurrency(bundle.deal.currency, bundle.lineItems, fallbackCurrency);
  return {
    currency,
    lineItems: linesFrom(bundle.lineItems, currency),
    billTo: billToFrom(bundle.contacts, bundle.companies[0]),
    associations: { contacts: ids(bundle.contacts), companies: ids(bundle.companies), deals: [bundle.deal.id], quotes: [] },
    source: { objectType: 'deals', objectId: bundle.deal.id },
    warnings: [],
  };
}

/** Copies a published quote: its own line items, deal, contacts and company. */
export function draftFromQuote(bundle: QuoteBundle, fallbackCurrency: string): CrmDraftParts {
  if (!isQuotePublished(bundle.quote)) {
    throw new DomainError(
      'quote_not_published',
      `Quote ${bundle.quote.id} is not published (status ${bundle.quote.status ?? 'unknown'}): publish it in HubSpot first`,
      [{ path: 'source.objectId', message: 'quote is not published' }],
    );
  }
  const currency = pickCurrency(bundle.quote.currency, bundle.lineItems, fallbackCurrency);
  return {
    currency,
    lineItems: linesFrom(bundle.lineItems, currency),
    billTo: billToFrom(bundle.contacts, bundle.companies[0]),
    associations: { contacts: ids(bundle.contacts), companies: ids(bundle.companies), deals: bundle.dealIds, quotes: [bundle.quote.id] },
    source: { objectType: 'quotes', objectId: bundle.quote.id },
    warnings: [],
  };
}

/** A contact and its primary company; lines are added by hand. */
export function draftFromContact(bundle: ContactBundle, currency: string): CrmDraftParts {
  const primary = bundle.companies[0];
  return {
    currency,
    lineItems: [],
    billTo: billToFrom([bundle.contact], primary),
    associations: { contacts: [bundle.contact.id], companies: primary ? [primary.id] : [], deals: [], quotes: [] },
    source: { objectType: 'contacts', objectId: bundle.contact.id },
    warnings: [],
  };
}

/** A company and its contacts; the first contact with an email becomes the billing contact. */
export function draftFromCompany(bundle: CompanyBundle, currency: string): CrmDraftParts {
  return {
    currency,
    lineItems: [],
    billTo: billToFrom(bundle.contacts, bundle.company),
    associations: { contacts: ids(bundle.contacts), companies: [bundle.company.id], deals: [], quotes: [] },
    source: { objectType: 'companies', objectId: bundle.company.id },
    warnings: [],
  };
}

function ids(records: Array<{ id: string }>): string[] {
  return records.map((r) => r.id);
}

/** The record's currency, else its lines' shared currency, else the portal default. Mixed currencies cannot make one invoice. */
function pickCurrency(recordCurrency: string | null, lines: CrmLineItem[], fallback: string): string {
  const lineCurrencies = [...new Set(lines.map((l) => l.currency).filter((c): c is string => Boolean(c)))];
  const currency = recordCurrency ?? lineCurrencies[0] ?? fallback;
  const others = lineCurrencies.filter((c) => c !== currency);
  if (others.length > 0) {
    throw new DomainError('mixed_currencies', `The record's line items are in ${[currency, ...others].join(' and ')}: an invoice has one currency`);
  }
  if (!isKnownCurrency(currency)) {
    throw new DomainError('validation_failed', `HubSpot currency "${currency}" is not an ISO 4217 code`, [{ path: 'currency', message: 'unknown currency' }]);
  }
  return currency;
}

/** HubSpot's decimal strings become minor units with the invoice currency's exponent, without floats. */
function linesFrom(lines: CrmLineItem[], currency: string): LineItemInput[] {
  const problems: FieldIssue[] = [];
  const result = lines.map((line, i) => {
    const path = `lineItems[${i}]`;
    try {
      return {
        name: line.name.trim() || `Line item ${line.id}`,
        description: line.description,
        sku: line.sku,
        quantity: formatDecimal(parseDecimal(line.quantity, `${path}.quantity`)),
        unitPrice: decimalStringToMinor(line.price, currency, `${path}.unitPrice`),
        discount: discountFrom(line, currency, path),
        taxRate: line.taxRate,
        hubspotLineItemId: line.id,
        hubspotProductId: line.productId,
      };
    } catch (err) {
      if (err instanceof DomainError) problems.push(...err.details.map((d) => ({ ...d, message: `HubSpot line item ${line.id}: ${d.message}` })));
      else throw err;
      return null;
    }
  });
  if (problems.length > 0) {
    throw new DomainError(
      'crm_data_invalid',
      `HubSpot line items cannot be invoiced as they are: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
      problems,
    );
  }
  return result as LineItemInput[];
}

function discountFrom(line: CrmLineItem, currency: string, path: string): Discount | null {
  if (line.discountPercent && parseDecimal(line.discountPercent, `${path}.discount.value`).units > 0n) {
    return { type: 'percent', value: line.discountPercent };
  }
  if (line.discountAmount) {
    const minor = decimalStringToMinor(line.discountAmount, currency, `${path}.discount.value`);
    if (minor > 0) return { type: 'amount', value: String(minor) };
  }
  return null;
}

function billToFrom(contacts: CrmContact[], company: CrmCompany | undefined): BillTo | null {
  const contact = contacts.find((c) => c.email) ?? contacts[0];
  if (!contact && !company) return null;
  const name = contact ? [contact.firstName, contact.lastName].filter(Boolean).join(' ') || null : null;
  return {
    contactId: contact?.id ?? null,
    name,
    email: contact?.email ?? null,
    companyName: company?.name ?? null,
    address: nonEmpty(company?.address) ?? nonEmpty(contact?.address) ?? null,
  };
}

function nonEmpty(address: Address | null | undefined): Address | null {
  if (!address) return null;
  const entries = Object.entries(address).filter(([, v]) => typeof v === 'string' && v.trim() !== '');
  return entries.length > 0 ? (Object.fromEntries(entries) as Address) : null;
}
