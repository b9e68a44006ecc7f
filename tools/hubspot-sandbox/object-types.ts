/**
 * The CRM object types the sandbox serves, with what HubSpot says about each: its type id
 * (`0-3`), the singular names it uses in messages, the key it uses for the type in a v3
 * record's `associations` object (HubSpot writes `line items` with a space there), the
 * properties it knows, and the ones it returns when a request names none.
 */

export type CrmObjectType = 'contacts' | 'companies' | 'deals' | 'line_items' | 'quotes' | 'invoices';

export const CRM_OBJECT_TYPES: readonly CrmObjectType[] = ['contacts', 'companies', 'deals', 'line_items', 'quotes', 'invoices'];

export interface ObjectTypeInfo {
  type: CrmObjectType;
  /** HubSpot's object type id, accepted in paths instead of the name. */
  typeId: string;
  /** Singular, as in `deal_to_contact` and `No company is associated with deal 1.` */
  singular: string;
  /** Upper-case singular, as in `Could not get some DEAL objects`. */
  upper: string;
  /** Key of this type inside a v3 record's `associations` object. */
  associationsKey: string;
  /** Timestamp properties HubSpot keeps on every record of the type. */
  createdProp: string;
  modifiedProp: string;
  /** Returned when the request names no properties (besides the always-returned three). */
  defaultProperties: readonly string[];
  /** Properties a client may read and write; anything else is rejected on write like HubSpot does. */
  properties: readonly string[];
  /** Scopes of which one is needed to read / to write the type. */
  readScopes: readonly string[];
  writeScopes: readonly string[];
}

const ADDRESS = ['address', 'address2', 'city', 'state', 'zip', 'country'];

function info(i: Omit<ObjectTypeInfo, 'readScopes' | 'writeScopes'> & { extraReadScopes?: string[] }): ObjectTypeInfo {
  const { extraReadScopes = [], ...rest } = i;
  const read = `crm.objects.${i.type}.read`;
  const write = `crm.objects.${i.type}.write`;
  return { ...rest, readScopes: [read, write, ...extraReadScopes], writeScopes: [write] };
}

export const OBJECT_TYPES: Readonly<Record<CrmObjectType, ObjectTypeInfo>> = {
  contacts: info({
    type: 'contacts',
    typeId: '0-1',
    singular: 'contact',
    upper: 'CONTACT',
    associationsKey: 'contacts',
    createdProp: 'createdate',
    modifiedProp: 'lastmodifieddate',
    defaultProperties: ['email', 'firstname', 'lastname'],
    properties: ['email', 'firstname', 'lastname', 'phone', 'company', 'jobtitle', ...ADDRESS],
  }),
  companies: info({
    type: 'companies',
    typeId: '0-2',
    singular: 'company',
    upper: 'COMPANY',
    associationsKey: 'companies',
    createdProp: 'createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ['domain', 'name'],
    properties: ['name', 'domain', 'phone', 'industry', ...ADDRESS],
  }),
  deals: info({
    type: 'deals',
    typeId: '0-3',
    singular: 'deal',
    upper: 'DEAL',
    associationsKey: 'deals',
    createdProp: 'createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ['amount', 'closedate', 'dealname', 'dealstage', 'pipeline'],
    properties: ['dealname', 'amount', 'deal_currency_code', 'dealstage', 'pipeline', 'closedate', 'hubspot_owner_id'],
  }),
  line_items: info({
    type: 'line_items',
    typeId: '0-8',
    singular: 'line_item',
    upper: 'LINE_ITEM',
    associationsKey: 'line items',
    createdProp: 'createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ['amount', 'name', 'price', 'quantity'],
    properties: [
      'name',
      'description',
      'hs_sku',
      'hs_product_id',
      'quantity',
      'price',
      'amount',
      'discount',
      'hs_discount_percentage',
      'hs_tax_rate_group_id',
      'hs_tax_rate',
      'hs_tax_amount',
      'hs_line_item_currency_code',
      'hs_position_on_quote',
      'hs_recurring_billing_period',
      'recurringbillingfrequency',
    ],
    extraReadScopes: ['e-commerce'],
  }),
  quotes: info({
    type: 'quotes',
    typeId: '0-14',
    singular: 'quote',
    upper: 'QUOTE',
    associationsKey: 'quotes',
    createdProp: 'hs_createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ['hs_expiration_date', 'hs_public_url_key', 'hs_status', 'hs_title'],
    properties: [
      'hs_title',
      'hs_status',
      'hs_locked',
      'hs_currency',
      'hs_expiration_date',
      'hs_quote_amount',
      'hs_quote_number',
      'hs_public_url_key',
      'hs_language',
    ],
  }),
  invoices: info({
    type: 'invoices',
    typeId: '0-53',
    singular: 'invoice',
    upper: 'INVOICE',
    associationsKey: 'invoices',
    createdProp: 'hs_createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: [],
    properties: [
      'hs_currency',
      'hs_invoice_status',
      'hs_invoice_date',
      'hs_due_date',
      'hs_comments',
      'hs_invoice_billable',
      'hs_allowed_payment_methods',
      'hs_allow_partial_payments',
      'hs_purchase_order_number',
      'hs_number',
      'hs_title',
      'hs_balance_due',
      'hs_amount_billed',
      'hs_invoice_link',
      'hs_language',
      'hs_locale',
    ],
  }),
};

/** Properties HubSpot computes; a write that sets them is refused as read-only. */
export const READ_ONLY_PROPERTIES: ReadonlySet<string> = new Set([
  'hs_object_id',
  'createdate',
  'hs_createdate',
  'lastmodifieddate',
  'hs_lastmodifieddate',
  'hs_balance_due',
  'hs_amount_billed',
  // Assumed, not documented either way: HubSpot numbers invoices itself and does not list
  // `hs_number` among the writable invoice properties, so the sandbox refuses it like a real
  // portal might; the mirror keeps our number in its own property.
  'hs_number',
]);

const ALIASES: ReadonlyMap<string, CrmObjectType> = new Map(
  CRM_OBJECT_TYPES.flatMap((t) => {
    const i = OBJECT_TYPES[t];
    return [
      [t, t],
      [i.typeId, t],
      [i.singular, t],
      [i.singular.replace('_', ''), t],
      [t.replace('_', ''), t],
      [t.replace('_', '-'), t],
    ] as const;
  }),
);

/** Resolves a path segment the way HubSpot does: plural or singular name, or the type id. */
export function resolveObjectType(segment: string): CrmObjectType | undefined {
  return ALIASES.get(segment.toLowerCase());
}
