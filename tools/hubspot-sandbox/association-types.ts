import type { CrmObjectType } from './object-types.js';

/**
 * HubSpot-defined association types between the sandbox's object types. Every type has an
 * inverse (HubSpot stores both directions). Where HubSpot has a "Primary" label (deal -> company,
 * contact -> company), the primary association always comes together with the unlabeled one,
 * as HubSpot returns it: v3 lists the company twice (`deal_to_company` and
 * `deal_to_company_unlabeled`), v4 gives it two association types (5 "Primary" and 341).
 */
export interface AssociationTypeInfo {
  typeId: number;
  from: CrmObjectType;
  to: CrmObjectType;
  /** The v3 `type` string, e.g. `deal_to_line_item`. */
  name: string;
  /** The v4 label: "Primary" for primary types, null otherwise. */
  label: string | null;
  inverseTypeId: number;
}

interface PairRow {
  from: CrmObjectType;
  to: CrmObjectType;
  /** The default (unlabeled) type id and its inverse. */
  typeId: number;
  inverse: number;
  /** Primary label type id and inverse, where HubSpot has one. */
  primary?: [number, number];
}

const PAIRS: readonly PairRow[] = [
  { from: 'contacts', to: 'companies', typeId: 279, inverse: 280, primary: [1, 2] },
  { from: 'deals', to: 'contacts', typeId: 3, inverse: 4 },
  { from: 'deals', to: 'companies', typeId: 341, inverse: 342, primary: [5, 6] },
  { from: 'deals', to: 'line_items', typeId: 19, inverse: 20 },
  { from: 'deals', to: 'quotes', typeId: 63, inverse: 64 },
  { from: 'quotes', to: 'line_items', typeId: 67, inverse: 68 },
  { from: 'quotes', to: 'contacts', typeId: 69, inverse: 70 },
  { from: 'quotes', to: 'companies', typeId: 71, inverse: 72 },
  { from: 'invoices', to: 'deals', typeId: 175, inverse: 176 },
  { from: 'invoices', to: 'contacts', typeId: 177, inverse: 178 },
  { from: 'invoices', to: 'companies', typeId: 179, inverse: 180 },
  { from: 'invoices', to: 'quotes', typeId: 407, inverse: 408 },
  { from: 'invoices', to: 'line_items', typeId: 409, inverse: 410 },
];

const SINGULAR: Record<CrmObjectType, string> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  line_items: 'line_item',
  quotes: 'quote',
  invoices: 'invoice',
};

function v3Name(from: CrmObjectType, to: CrmObjectType, suffix = ''): string {
  return `${SINGULAR[from]}_to_${SINGULAR[to]}${suffix}`;
}

const BY_ID = new Map<number, AssociationTypeInfo>();
const DEFAULTS = new Map<string, number>();

for (const p of PAIRS) {
  const suffix = p.primary ? '_unlabeled' : '';
  const add = (typeId: number, from: CrmObjectType, to: CrmObjectType, name: string, label: string | null, inverseTypeId: number) =>
    BY_ID.set(typeId, { typeId, from, to, name, label, inverseTypeId });
  add(p.typeId, p.from, p.to, v3Name(p.from, p.to, suffix), null, p.inverse);
  add(p.inverse, p.to, p.from, v3Name(p.to, p.from, suffix), null, p.typeId);
  DEFAULTS.set(`${p.from}>${p.to}`, p.typeId);
  DEFAULTS.set(`${p.to}>${p.from}`, p.inverse);
  if (p.primary) {
    const [fwd, back] = p.primary;
    add(fwd, p.from, p.to, v3Name(p.from, p.to), 'Primary', back);
    add(back, p.to, p.from, v3Name(p.to, p.from), 'Primary', fwd);
  }
}

export function associationType(typeId: number): AssociationTypeInfo | undefined {
  return BY_ID.get(typeId);
}

/** The default ("most generic") association type id from one type to another, if they can be associated. */
export function defaultAssociationTypeId(from: CrmObjectType, to: CrmObjectType): number | undefined {
  return DEFAULTS.get(`${from}>${to}`);
}

/** The primary type id from one type to another (deal -> company: 5), if HubSpot has one. */
export function primaryAssociationTypeId(from: CrmObjectType, to: CrmObjectType): number | undefined {
  for (const t of BY_ID.values()) if (t.from === from && t.to === to && t.label === 'Primary') return t.typeId;
  return undefined;
}

/**
 * Type ids that go with `typeId` when it is stored: its unlabeled companion for a primary type
 * (HubSpot never has a primary association without the unlabeled one).
 */
export function withCompanions(typeId: number): number[] {
  const t = BY_ID.get(typeId);
  if (!t || t.label !== 'Primary') return [typeId];
  const base = defaultAssociationTypeId(t.from, t.to);
  return base === undefined ? [typeId] : [typeId, base];
}
