import { associationType } from './association-types.js';
import { isDecimal } from './decimal.js';
import { invalidProperties, validationError, type PropertyProblem } from './errors.js';
import { OBJECT_TYPES, READ_ONLY_PROPERTIES, type CrmObjectType } from './object-types.js';
import type { RecordRef, SandboxStore } from './store.js';

/** Invoice statuses HubSpot knows. `paid` is set by HubSpot when payments cover the balance. */
export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'voided'] as const;

const DECIMAL_PROPERTIES: ReadonlySet<string> = new Set([
  'quantity',
  'price',
  'amount',
  'discount',
  'hs_discount_percentage',
  'hs_tax_rate',
  'hs_tax_amount',
  'hs_quote_amount',
]);

/**
 * Checks a write's `properties` the way HubSpot does and returns them as strings (numbers and
 * booleans are accepted and stringified; `null` clears). Unknown, read-only and malformed values
 * are all reported in one "Property values were not valid" error.
 */
export function validateProperties(store: SandboxStore, hubId: number, type: CrmObjectType, input: unknown): Record<string, string> {
  if (input === undefined) return {};
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw validationError('Invalid input JSON: "properties" must be an object');
  }
  const out: Record<string, string> = {};
  const problems: PropertyProblem[] = [];
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    if (!store.isKnownProperty(hubId, type, name)) {
      problems.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (READ_ONLY_PROPERTIES.has(name)) {
      problems.push({ name, error: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.` });
      continue;
    }
    const value = raw === null ? '' : typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
    if (value === undefined) {
      problems.push({ name, error: 'INVALID_OPTION', message: `${JSON.stringify(raw)} is not a valid value for ${name}` });
      continue;
    }
    if (DECIMAL_PROPERTIES.has(name) && value !== '' && !isDecimal(value)) {
      problems.push({ name, error: 'INVALID_DECIMAL', message: `${value} was not a valid number.` });
      continue;
    }
    if (type === 'invoices' && name === 'hs_invoice_status' && !(INVOICE_STATUSES as readonly string[]).includes(value)) {
      problems.push({ name, error: 'INVALID_OPTION', message: `${value} was not one of the allowed options: [${INVOICE_STATUSES.join(', ')}]` });
      continue;
    }
    out[name] = value;
  }
  if (problems.length > 0) throw invalidProperties(problems);
  return out;
}

/** One `associations` entry of a create body, resolved. */
export interface PlannedAssociation {
  to: RecordRef;
  typeId: number;
}

/** Resolves a create body's `associations` against the type table and the portal's records. */
export function planAssociations(store: SandboxStore, hubId: number, fromType: CrmObjectType, input: unknown): PlannedAssociation[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) throw validationError('Invalid input JSON: "associations" must be an array');
  const planned: PlannedAssociation[] = [];
  input.forEach((a: unknown, n) => {
    const entry = (a ?? {}) as { to?: { id?: unknown }; types?: unknown };
    const toId = typeof entry.to?.id === 'number' ? String(entry.to.id) : entry.to?.id;
    if (typeof toId !== 'string' || !Array.isArray(entry.types) || entry.types.length === 0) {
      throw validationError(`Invalid input JSON: associations[${n}] needs "to.id" and a non-empty "types"`);
    }
    for (const t of entry.types as Array<{ associationCategory?: unknown; associationTypeId?: unknown }>) {
      const info = typeof t.associationTypeId === 'number' ? associationType(t.associationTypeId) : undefined;
      if (t.associationCategory !== 'HUBSPOT_DEFINED' || !info || info.from !== fromType) {
        throw validationError(
          `associations[${n}]: association type ${String(t.associationCategory)}/${String(t.associationTypeId)} is not valid from ${OBJECT_TYPES[fromType].singular}`,
        );
      }
      if (!store.get(hubId, info.to, toId)) {
        throw validationError(`associations[${n}]: ${OBJECT_TYPES[info.to].singular} ${toId} does not exist`, {
          subCategory: 'crm.associations.INVALID_OBJECT_IDS',
          context: { toObjectId: [toId], toObjectType: [OBJECT_TYPES[info.to].upper] },
        });
      }
      planned.push({ to: { type: info.to, id: toId }, typeId: t.associationTypeId as number });
    }
  });
  return planned;
}

/**
 * HubSpot's rule for moving an invoice to `open`: exactly one associated contact and at least
 * one line item.
 */
export function checkInvoiceCanOpen(store: SandboxStore, hubId: number, invoiceId: string): void {
  const ref: RecordRef = { type: 'invoices', id: invoiceId };
  const contacts = store.associations(hubId, ref, 'contacts').length;
  const lineItems = store.associations(hubId, ref, 'line_items').length;
  if (contacts !== 1 || lineItems < 1) {
    throw validationError(
      `Invoice ${invoiceId} cannot be moved to open: it must be associated with exactly one contact (has ${contacts}) and at least one line item (has ${lineItems}).`,
      { context: { contacts: [String(contacts)], lineItems: [String(lineItems)] } },
    );
  }
}

/** Invoice-specific checks of a create or update, before anything is stored. */
export function checkInvoiceWrite(properties: Record<string, string>, current: Record<string, string> | undefined): void {
  if (!current && !properties.hs_currency) {
    throw invalidProperties([{ name: 'hs_currency', error: 'INVALID_OPTION', message: 'hs_currency is required to create an invoice' }]);
  }
  const next = properties.hs_invoice_status;
  if (next === 'paid' && current?.hs_invoice_status !== 'paid') {
    throw validationError('An invoice cannot be marked paid through the API; payments are recorded in HubSpot.');
  }
}
