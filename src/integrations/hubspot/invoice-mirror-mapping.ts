/**
 * How our invoices are written into HubSpot's invoice object: the app's custom properties, the
 * property values of an invoice, its state and its line items. Pure mapping, no HTTP.
 */
import type { MirrorStatus } from '../../domain/crm.js';
import type { MirrorInvoice, MirrorLine, MirrorState } from '../../app/ports/invoice-mirror.js';
import {
  currencyExponent,
  divideRoundHalfAwayFromZero,
  formatDecimal,
  minorToDecimalString,
  normalizeDecimal,
  parseDecimal,
  pow10,
} from '../../domain/money/index.js';

/** The app's own invoice properties (custom properties, created at install). */
export const MIRROR_PROPERTY = {
  /** Our invoice id (uuid): the key a retry searches by. Unique values. */
  invoiceId: 'invoicing_app_invoice_id',
  /**
   * Our invoice number. Not `hs_number`: HubSpot does not document it as writable, and a refused
   * property would fail every create (docs/hubspot.md, "API versions and the invoice mirror").
   */
  number: 'invoicing_app_number',
  /** Our status: open | paid | void (HubSpot's own status cannot say `paid` for us). */
  status: 'invoicing_app_status',
  total: 'invoicing_app_total',
  /** Tax of the whole invoice: line items carry a rate only where the portal's tax library has a single group for it. */
  taxTotal: 'invoicing_app_tax_total',
  amountPaid: 'invoicing_app_amount_paid',
  balanceDue: 'invoicing_app_balance_due',
  /** Our hosted invoice page (HubSpot's `hs_invoice_link` is HubSpot's own page). */
  hostedUrl: 'invoicing_app_hosted_url',
} as const;

/** Names of the custom invoice properties the mirror writes. */
export const MIRROR_CUSTOM_PROPERTIES: readonly string[] = Object.values(MIRROR_PROPERTY);

/** Property group the mirror creates for the app's invoice properties. */
export const MIRROR_PROPERTY_GROUP = 'invoicing_app';
export const MIRROR_PROPERTY_GROUP_LABEL = 'Invoices app';

/**
 * Bodies for POST /crm/properties/2026-03/invoices/batch/create (after making sure the group
 * `invoicing_app` exists: GET, then POST /crm/properties/2026-03/invoices/groups).
 */
export function invoiceMirrorPropertyDefinitions(): Array<Record<string, unknown>> {
  const base = { groupName: MIRROR_PROPERTY_GROUP };
  const number = (name: string, label: string) => ({ ...base, name, label, type: 'number', fieldType: 'number' });
  return [
    { ...base, name: MIRROR_PROPERTY.invoiceId, label: 'Invoices app: invoice id', type: 'string', fieldType: 'text', hasUniqueValue: true },
    { ...base, name: MIRROR_PROPERTY.number, label: 'Invoices app: invoice number', type: 'string', fieldType: 'text' },
    {
      ...base,
      name: MIRROR_PROPERTY.status,
      label: 'Invoices app: status',
      type: 'enumeration',
      fieldType: 'select',
      options: (['open', 'paid', 'void'] as const).map((value, displayOrder) => ({ value, label: value, displayOrder })),
    },
    number(MIRROR_PROPERTY.total, 'Invoices app: total'),
    number(MIRROR_PROPERTY.taxTotal, 'Invoices app: tax'),
    number(MIRROR_PROPERTY.amountPaid, 'Invoices app: amount paid'),
    number(MIRROR_PROPERTY.balanceDue, 'Invoices app: balance due'),
    { ...base, name: MIRROR_PROPERTY.hostedUrl, label: 'Invoices app: invoice page', type: 'string', fieldType: 'text' },
  ];
}

/** HubSpot's invoice status for ours: `paid` is HubSpot's to set, so a paid invoice stays open there. */
export const HUBSPOT_INVOICE_STATUS: Readonly<Record<MirrorStatus, 'open' | 'voided'>> = { open: 'open', paid: 'open', void: 'voided' };

/** HubSpot-defined association type ids (vendor docs; the SDK enum has no invoice entries). */
export const INVOICE_ASSOCIATION_TYPE = { contact: 177, company: 179, deal: 175, quote: 407, lineItem: 409, lineItemToInvoice: 410 } as const;

/** Extra decimals of a per-unit discount beyond the currency's, when the quantity does not divide it. */
const UNIT_DISCOUNT_EXTRA_DIGITS = 6;

/**
 * The fixed properties, set when the HubSpot invoice is created. The mirror is a record, not a
 * second bill: `hs_invoice_billable: false` (HubSpot's flag for invoices tracked in HubSpot but
 * billed elsewhere), and none of HubSpot's payment settings (`hs_allowed_payment_methods`,
 * `hs_allow_partial_payments`), so HubSpot never renders or collects the copy. The buyer pays on
 * our hosted page (`invoicing_app_hosted_url`).
 */
export function invoiceProperties(invoice: MirrorInvoice): Record<string, string> {
  return {
    hs_currency: invoice.currency,
    hs_invoice_billable: 'false',
    hs_invoice_date: invoice.invoiceDateStart,
    hs_due_date: invoice.dueDateStart,
    ...(invoice.comments.trim() !== '' ? { hs_comments: invoice.comments } : {}),
    [MIRROR_PROPERTY.invoiceId]: invoice.invoiceId,
    [MIRROR_PROPERTY.number]: invoice.number,
    [MIRROR_PROPERTY.taxTotal]: minorToDecimalString(invoice.taxTotal, invoice.currency),
    [MIRROR_PROPERTY.hostedUrl]: invoice.hostedUrl,
  };
}

/** Properties of a contact the mirror creates for a buyer HubSpot does not have yet. */
export function contactProperties(contact: { email: string; name: string | null; companyName: string | null }): Record<string, string> {
  const name = contact.name?.trim() ?? '';
  const space = name.indexOf(' ');
  const [firstname, lastname] = space > 0 ? [name.slice(0, space), name.slice(space + 1).trim()] : [name, ''];
  return {
    email: contact.email,
    ...(firstname ? { firstname } : {}),
    ...(lastname ? { lastname } : {}),
    ...(contact.companyName?.trim() ? { company: contact.companyName.trim() } : {}),
  };
}

/**
 * Status and amounts. At creation HubSpot's own status stays `draft` (the default): it can only
 * open once the contact and the line items are associated.
 */
export function stateProperties(state: MirrorState, withHubSpotStatus: boolean): Record<string, string> {
  return {
    ...(withHubSpotStatus ? { hs_invoice_status: HUBSPOT_INVOICE_STATUS[state.status] } : {}),
    [MIRROR_PROPERTY.status]: state.status,
    [MIRROR_PROPERTY.total]: minorToDecimalString(state.total, state.currency),
    [MIRROR_PROPERTY.amountPaid]: minorToDecimalString(state.amountPaid, state.currency),
    [MIRROR_PROPERTY.balanceDue]: minorToDecimalString(state.balanceDue, state.currency),
  };
}

/**
 * A line item copying one of our lines. HubSpot's `discount` is per unit, ours (type amount) is
 * for the whole line: the unit discount is exact when the quantity divides it, else rounded to
 * the currency's decimals plus six. HubSpot taxes line items through its tax rate library, so the
 * line's rate travels as the id of the portal's group with that rate (`taxRateGroupId`, found by
 * the adapter), or not at all when there is no single such group.
 */
export function lineItemProperties(line: MirrorLine, currency: string, taxRateGroupId: string | null = null): Record<string, string> {
  const props: Record<string, string> = {
    name: line.name,
    quantity: line.quantity,
    price: minorToDecimalString(line.unitPrice, currency),
    hs_line_item_currency_code: currency,
    hs_position_on_quote: String(line.position),
  };
  if (line.description !== '') props.description = line.description;
  if (line.sku) props.hs_sku = line.sku;
  if (line.discount?.type === 'percent') props.hs_discount_percentage = line.discount.percent;
  if (line.discount?.type === 'amount' && line.discount.amount > 0) props.discount = unitDiscount(line.discount.amount, line.quantity, currency);
  if (taxRateGroupId !== null) props.hs_tax_rate_group_id = taxRateGroupId;
  return props;
}

/** `amountMinor / quantity` in major units, as a decimal string. */
export function unitDiscount(amountMinor: number, quantity: string, currency: string): string {
  const exponent = currencyExponent(currency);
  const q = parseDecimal(quantity, 'quantity', { greaterThan: 0 });
  const scale = exponent + UNIT_DISCOUNT_EXTRA_DIGITS;
  // value = amountMinor / 10^exponent / (q.units / 10^q.scale), expressed in units of 10^-scale.
  const numerator = BigInt(amountMinor) * pow10(q.scale) * pow10(scale - exponent);
  const units = divideRoundHalfAwayFromZero(numerator, q.units);
  return formatDecimal(normalizeDecimal({ units, scale }));
}
