/**
 * HubSpot CRM wire format -> the records of src/domain/crm.ts.
 *
 * Every HubSpot response is parsed with the zod schemas below before use; a body of the wrong
 * shape is an `upstream_error`, never a crash further in. HubSpot returns every property as a
 * string (or null); numbers stay the decimal strings HubSpot sent (checked to be plain decimals,
 * returned unchanged, never through parseFloat). An empty string means "not set" and becomes null.
 *
 * Field derivations
 * - CrmDeal: name <- `dealname`; currency <- `deal_currency_code`.
 * - CrmQuote: title <- `hs_title`; status <- `hs_status`; locked <- `hs_locked` === "true"
 *   (published quotes are locked); currency <- `hs_currency`.
 * - CrmLineItem:
 *   name <- `name` ("" when unset); description <- `description` ("" when unset);
 *   sku <- `hs_sku`; productId <- `hs_product_id`; currency <- `hs_line_item_currency_code`;
 *   quantity <- `quantity`, price <- `price` (unit price): both required decimals, a line without
 *   them cannot be invoiced (upstream_error naming the line);
 *   discountPercent <- `hs_discount_percentage` (HubSpot applies it to the whole line);
 *   discountAmount <- `discount` x `quantity`: HubSpot's `discount` is the *unit* discount (an
 *   amount off each unit), the port wants the whole line's, so it is multiplied exactly (BigInt
 *   units, scales added) and formatted back with formatDecimal (trailing zeros dropped).
 *   A discount of 0 in either property means no discount and becomes null.
 *   taxRateGroupId <- `hs_tax_rate_group_id` (HubSpot's documented link into the portal's tax
 *   rate library); taxRate stays null here: the rate is resolved from the group through the tax
 *   rates API (tax-rates-adapter.ts, applied by src/app/read-crm-record.ts).
 *   Order: by `hs_position_on_quote` when present (quotes), otherwise association order.
 * - CrmContact: firstName/lastName/email <- `firstname`/`lastname`/`email`;
 *   address <- `address` (line1), `city`, `state` (region), `zip` (postalCode), `country`.
 * - CrmCompany: name <- `name`; address <- `address` (line1), `address2` (line2), `city`,
 *   `state` (region), `zip` (postalCode), `country`.
 *   An address with no part set is null.
 */
import { z } from 'zod';
import type { Address } from '../../domain/invoice.js';
import type { CrmCompany, CrmContact, CrmDeal, CrmLineItem, CrmQuote } from '../../domain/crm.js';
import { DomainError, type FieldIssue } from '../../domain/errors.js';
import { formatDecimal, parseDecimal, type Decimal } from '../../domain/money/index.js';

export const DEAL_PROPERTIES = ['dealname', 'deal_currency_code'] as const;
export const QUOTE_PROPERTIES = ['hs_title', 'hs_status', 'hs_locked', 'hs_currency'] as const;
export const LINE_ITEM_PROPERTIES = [
  'name',
  'description',
  'hs_sku',
  'quantity',
  'price',
  'hs_discount_percentage',
  'discount',
  'hs_tax_rate_group_id',
  'hs_product_id',
  'hs_line_item_currency_code',
  'hs_position_on_quote',
] as const;
export const CONTACT_PROPERTIES = ['firstname', 'lastname', 'email', 'address', 'city', 'state', 'zip', 'country'] as const;
export const COMPANY_PROPERTIES = ['name', 'address', 'address2', 'city', 'state', 'zip', 'country'] as const;

// ---- wire schemas ---------------------------------------------------------------------------

/** HubSpot ids are strings in the objects API and numbers in the associations API (`toObjectId`); both become strings. */
const idSchema = z.union([z.string().min(1), z.number().int().nonnegative().refine(Number.isSafeInteger)]).transform(String);
const propertiesSchema = z.record(z.string(), z.string().nullable());
const pagingSchema = z.object({ next: z.object({ after: z.string() }).nullish() }).nullish();

const associationCollectionSchema = z.object({
  results: z.array(z.object({ id: idSchema, type: z.string() })),
  paging: pagingSchema,
});

/** GET /crm/objects/2026-03/{type}/{id}?associations=... */
export const objectWithAssociationsSchema = z.object({
  id: idSchema,
  properties: propertiesSchema,
  archived: z.boolean().optional(),
  associations: z.record(z.string(), associationCollectionSchema).nullish(),
});
export type ObjectWithAssociations = z.infer<typeof objectWithAssociationsSchema>;

const simpleObjectSchema = z.object({ id: idSchema, properties: propertiesSchema, archived: z.boolean().optional() });
export type SimpleObject = z.infer<typeof simpleObjectSchema>;

/** POST /crm/objects/2026-03/{type}/batch/read (200, or 207 with `errors` for ids it could not read). */
export const batchReadSchema = z.object({
  results: z.array(simpleObjectSchema),
  errors: z.array(z.object({ category: z.string().optional(), message: z.string().optional() })).optional(),
});

/** POST /crm/associations/2026-03/{from}/{to}/batch/read */
export const associationsBatchSchema = z.object({
  results: z.array(
    z.object({
      from: z.object({ id: idSchema }),
      to: z.array(
        z.object({
          toObjectId: idSchema,
          associationTypes: z.array(z.object({ typeId: z.number().int(), category: z.string().optional(), label: z.string().nullish() })).default([]),
        }),
      ),
      paging: pagingSchema,
    }),
  ),
});

/** Parses a HubSpot body or throws upstream_error describing where it did not fit. */
export function parseWire<T extends z.ZodType>(schema: T, body: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
    .join('; ');
  throw new DomainError('upstream_error', `HubSpot failed: unexpected ${what} response (${where})`);
}

// ---- associations ---------------------------------------------------------------------------

/** One associated record and whether HubSpot marks it the primary one. */
export interface AssociationRef {
  id: string;
  primary: boolean;
}

/** The association type that marks the primary record, per (from, to) pair. */
const PRIMARY_TYPES: Record<string, { label: string; typeId: number }> = {
  'deals->companies': { label: 'deal_to_company', typeId: 5 },
  'contacts->companies': { label: 'contact_to_company', typeId: 1 },
};

export function primaryType(fromType: string, toType: string): { label: string; typeId: number } | undefined {
  return PRIMARY_TYPES[`${fromType}->${toType}`];
}

/**
 * The `toType` association list of a GET-by-id response. HubSpot keys line items as
 * "line items" (with a space) in some responses and "line_items" in others: both are read.
 */
export function associationsOf(record: ObjectWithAssociations, fromType: string, toType: string): { refs: AssociationRef[]; hasMore: boolean } {
  const all = record.associations ?? {};
  const key = Object.keys(all).find((k) => k.replace(/ /g, '_') === toType);
  const collection = key === undefined ? undefined : all[key];
  if (!collection) return { refs: [], hasMore: false };
  const primary = primaryType(fromType, toType);
  return {
    refs: collection.results.map((r) => ({ id: r.id, primary: primary !== undefined && r.type === primary.label })),
    hasMore: Boolean(collection.paging?.next),
  };
}

/** Distinct ids, primary ones first, otherwise in HubSpot's order (one company is listed once per type). */
export function orderedIds(refs: AssociationRef[]): string[] {
  const primary = new Set(refs.filter((r) => r.primary).map((r) => r.id));
  const ids = [...new Set(refs.map((r) => r.id))];
  return [...ids.filter((id) => primary.has(id)), ...ids.filter((id) => !primary.has(id))];
}

// ---- records --------------------------------------------------------------------------------

type Props = Record<string, string | null>;

/** The property's value, with "" (HubSpot's "cleared") as null. */
function text(props: Props, name: string): string | null {
  const value = props[name];
  return value === undefined || value === null || value === '' ? null : value;
}

function bad(objectType: string, id: string, path: string, message: string): DomainError {
  const issue: FieldIssue = { path, message };
  return new DomainError('upstream_error', `HubSpot failed: ${objectType} ${id} has ${path} ${message}`, [issue]);
}

/** Checks that a HubSpot number is a plain decimal; returns it parsed, the caller keeps the text. */
function decimal(value: string, objectType: string, id: string, path: string): Decimal {
  try {
    // Wide limits: the domain applies its own when it converts; here only the form is checked.
    return parseDecimal(value, path, { allowNegative: true, maxScale: 30, maxIntegerDigits: 30 });
  } catch {
    throw bad(objectType, id, path, `"${value}", which is not a decimal number`);
  }
}

/** A decimal property, null when unset or zero (a zero discount is no discount). */
function nonZeroDecimal(props: Props, name: string, id: string, path: string): { text: string; value: Decimal } | null {
  const value = text(props, name);
  if (value === null) return null;
  const parsed = decimal(value, 'line item', id, path);
  return parsed.units === 0n ? null : { text: value, value: parsed };
}

export function toDeal(record: { id: string; properties: Props }): CrmDeal {
  return { id: record.id, name: text(record.properties, 'dealname'), currency: text(record.properties, 'deal_currency_code') };
}

export function toQuote(record: { id: string; properties: Props }): CrmQuote {
  const p = record.properties;
  return {
    id: record.id,
    title: text(p, 'hs_title'),
    status: text(p, 'hs_status'),
    locked: text(p, 'hs_locked')?.toLowerCase() === 'true',
    currency: text(p, 'hs_currency'),
  };
}

/** `index` is the line's position in the bundle, used in error paths (`lineItems[3].quantity`). */
export function toLineItem(record: SimpleObject, index: number): CrmLineItem {
  const p = record.properties;
  const id = record.id;
  const at = (field: string) => `lineItems[${index}].${field}`;
  const quantity = text(p, 'quantity');
  if (quantity === null) throw bad('line item', id, at('quantity'), 'no value');
  const quantityValue = decimal(quantity, 'line item', id, at('quantity'));
  const price = text(p, 'price');
  if (price === null) throw bad('line item', id, at('price'), 'no value');
  decimal(price, 'line item', id, at('price'));
  const percent = nonZeroDecimal(p, 'hs_discount_percentage', id, at('discountPercent'));
  const unitDiscount = nonZeroDecimal(p, 'discount', id, at('discountAmount'));
  return {
    id,
    name: text(p, 'name') ?? '',
    description: text(p, 'description') ?? '',
    sku: text(p, 'hs_sku'),
    quantity,
    price,
    discountPercent: percent?.text ?? null,
    discountAmount: unitDiscount === null ? null : formatDecimal(times(unitDiscount.value, quantityValue)),
    taxRate: null,
    taxRateGroupId: text(p, 'hs_tax_rate_group_id'),
    productId: text(p, 'hs_product_id'),
    currency: text(p, 'hs_line_item_currency_code'),
  };
}

/** Exact product of two decimals. */
function times(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/**
 * Line items in invoice order: by `hs_position_on_quote` where HubSpot has one (quotes keep it),
 * the rest after them in association order. Array.prototype.sort is stable.
 */
export function sortLineItems(records: SimpleObject[]): SimpleObject[] {
  const position = (r: SimpleObject): number => {
    const value = text(r.properties, 'hs_position_on_quote');
    return value !== null && /^[0-9]{1,9}$/.test(value) ? Number(value) : Number.POSITIVE_INFINITY;
  };
  return [...records].sort((a, b) => {
    const pa = position(a);
    const pb = position(b);
    return pa === pb ? 0 : pa < pb ? -1 : 1;
  });
}

export function toContact(record: { id: string; properties: Props }): CrmContact {
  const p = record.properties;
  return {
    id: record.id,
    firstName: text(p, 'firstname'),
    lastName: text(p, 'lastname'),
    email: text(p, 'email'),
    address: address(p, null),
  };
}

export function toCompany(record: { id: string; properties: Props }): CrmCompany {
  return { id: record.id, name: text(record.properties, 'name'), address: address(record.properties, 'address2') };
}

function address(p: Props, line2Property: string | null): Address | null {
  const parts: Address = {};
  const set = (key: keyof Address, property: string | null) => {
    const value = property === null ? null : text(p, property);
    if (value !== null) parts[key] = value;
  };
  set('line1', 'address');
  set('line2', line2Property);
  set('city', 'city');
  set('region', 'state');
  set('postalCode', 'zip');
  set('country', 'country');
  return Object.keys(parts).length === 0 ? null : parts;
}
