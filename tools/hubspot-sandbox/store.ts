import { ALL_SCOPES, type IssuedTokens, SandboxAuth } from './auth-store.js';
import { SandboxTaxRates, type SandboxTaxRate } from './routes-tax-rates.js';
import { SandboxJournal } from './journal-store.js';
import { SandboxUsers, type SandboxUser } from './routes-users.js';
import type { SandboxChange } from './webhook-sender.js';
import { associationType, defaultAssociationTypeId, withCompanions } from './association-types.js';
import { lineAmount } from './decimal.js';
import { validationError } from './errors.js';
import { OBJECT_TYPES, type CrmObjectType } from './object-types.js';

/** One CRM record as the sandbox keeps it. Property values are strings, as in HubSpot. */
export interface SandboxRecord {
  id: string;
  type: CrmObjectType;
  /** Stored properties (without hs_object_id and the timestamps, which are derived). */
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

export interface RecordRef {
  type: CrmObjectType;
  id: string;
}

/** One associated record and the association type ids that link to it. */
export interface AssociationLink {
  toId: string;
  typeIds: number[];
}

/** Initial content of one portal. */
export interface SandboxSeed {
  hubId: number;
  records: Array<{ type: CrmObjectType; id: string; properties: Record<string, string>; createdAt?: string }>;
  /** `typeId` defaults to the pair's default (unlabeled) type; pass a primary type id (5) for "Primary". */
  associations: Array<{ from: RecordRef; to: RecordRef; typeId?: number }>;
  /** Custom properties the portal has, beyond HubSpot's standard ones the sandbox knows. */
  properties?: Partial<Record<CrmObjectType, string[]>>;
  /** HubSpot users of the portal (settings users and owners APIs). */
  users?: SandboxUser[];
  /** The portal's tax rate library (tax rates API), which line items' `hs_tax_rate_group_id` points into. */
  taxRates?: SandboxTaxRate[];
}

const PARENTS_OF_LINE_ITEMS: readonly CrmObjectType[] = ['deals', 'quotes', 'invoices'];
/** Ids the sandbox assigns start here, well above the seed's, like HubSpot's long ids. */
const FIRST_CREATED_ID = 50_000_001;

class Portal {
  readonly records = new Map<CrmObjectType, Map<string, SandboxRecord>>();
  /** `${type}:${id}` -> to type -> to id -> type ids. */
  readonly links = new Map<string, Map<CrmObjectType, Map<string, Set<number>>>>();
  readonly customProperties = new Map<CrmObjectType, Set<string>>();
  /** Custom property groups by type: name -> label. */
  readonly propertyGroups = new Map<CrmObjectType, Map<string, string>>();
  nextId = FIRST_CREATED_ID;

  table(type: CrmObjectType): Map<string, SandboxRecord> {
    let t = this.records.get(type);
    if (!t) this.records.set(type, (t = new Map()));
    return t;
  }

  linksOf(ref: RecordRef, toType: CrmObjectType): Map<string, Set<number>> {
    const key = `${ref.type}:${ref.id}`;
    let byType = this.links.get(key);
    if (!byType) this.links.set(key, (byType = new Map()));
    let byId = byType.get(toType);
    if (!byId) byType.set(toType, (byId = new Map()));
    return byId;
  }
}

/**
 * In-memory CRM data per portal (hub id), plus the OAuth state. The HTTP layer reads and writes
 * through it; tests use the same methods to arrange data (`addRecord`, `archive`,
 * `setDealLineItems`) and to get a token without the OAuth dance (`issueTokens`).
 */
export class SandboxStore {
  private readonly portals = new Map<number, Portal>();
  readonly auth: SandboxAuth;
  readonly users = new SandboxUsers();
  readonly taxRates = new SandboxTaxRates();
  /** The webhooks journal (app lifecycle events) and the app's client-credentials tokens. */
  readonly journal: SandboxJournal;
  /** Told of every CRM change after it happened (the server sends them as webhooks). */
  onChange: ((hubId: number, change: SandboxChange) => void) | null = null;

  constructor(
    clientId: string,
    readonly now: () => number = Date.now,
  ) {
    this.auth = new SandboxAuth(clientId, now);
    this.journal = new SandboxJournal(now);
  }

  /**
   * Uninstalls the app from a hub, as a super admin would in HubSpot: the hub's tokens stop
   * working and the journal records APP_UNINSTALL (when the app subscribed to lifecycle events).
   */
  uninstallApp(hubId: number): void {
    this.auth.revokeHub(hubId);
    this.journal.record(hubId, 'APP_UNINSTALL');
  }

  /** Loads a seed into its portal (records first, then associations). */
  load(seed: SandboxSeed): void {
    const portal = this.portal(seed.hubId);
    for (const [type, names] of Object.entries(seed.properties ?? {}) as Array<[CrmObjectType, string[]]>) {
      for (const name of names) this.defineProperty(seed.hubId, type, name);
    }
    for (const r of seed.records) {
      const at = r.createdAt ?? new Date(this.now()).toISOString();
      // A seed may give a line item's amount as HubSpot shows it ("1500.00"); otherwise it is computed.
      const properties = 'amount' in r.properties ? { ...r.properties } : withDerived(r.type, { ...r.properties });
      portal.table(r.type).set(r.id, { id: r.id, type: r.type, properties, createdAt: at, updatedAt: at, archived: false });
    }
    for (const a of seed.associations) this.associate(seed.hubId, a.from, a.to, a.typeId);
    for (const u of seed.users ?? []) this.users.add(seed.hubId, u);
    for (const t of seed.taxRates ?? []) this.taxRates.add(seed.hubId, t);
  }

  hubIds(): number[] {
    return [...this.portals.keys()];
  }

  /** Issues tokens for a hub without the OAuth flow (all read scopes plus invoice/line item write). */
  issueTokens(hubId: number, scopes: readonly string[] = ALL_SCOPES): IssuedTokens {
    this.portal(hubId);
    return this.auth.issue(hubId, scopes);
  }

  /** Declares a custom property, as creating one in HubSpot's properties API would. */
  defineProperty(hubId: number, type: CrmObjectType, name: string): void {
    const portal = this.portal(hubId);
    let set = portal.customProperties.get(type);
    if (!set) portal.customProperties.set(type, (set = new Set()));
    set.add(name);
  }

  /** Creates a custom property group; false when one of that name exists already. */
  definePropertyGroup(hubId: number, type: CrmObjectType, name: string, label: string): boolean {
    const portal = this.portal(hubId);
    let groups = portal.propertyGroups.get(type);
    if (!groups) portal.propertyGroups.set(type, (groups = new Map()));
    if (groups.has(name)) return false;
    groups.set(name, label);
    return true;
  }

  /** A custom property group's label, or undefined when the portal has no such group. */
  propertyGroup(hubId: number, type: CrmObjectType, name: string): string | undefined {
    return this.portal(hubId).propertyGroups.get(type)?.get(name);
  }

  isKnownProperty(hubId: number, type: CrmObjectType, name: string): boolean {
    const i = OBJECT_TYPES[type];
    return (
      i.properties.includes(name) ||
      name === 'hs_object_id' ||
      name === i.createdProp ||
      name === i.modifiedProp ||
      (this.portal(hubId).customProperties.get(type)?.has(name) ?? false)
    );
  }

  /** A live record, or with `includeArchived` an archived one too. */
  get(hubId: number, type: CrmObjectType, id: string, includeArchived = false): SandboxRecord | undefined {
    const r = this.portal(hubId).table(type).get(id);
    return r && (includeArchived || !r.archived) ? r : undefined;
  }

  /** Live records of a type, by ascending id. */
  list(hubId: number, type: CrmObjectType): SandboxRecord[] {
    return [...this.portal(hubId).table(type).values()].filter((r) => !r.archived).sort((a, b) => compareIds(a.id, b.id));
  }

  /** Creates a record (test helper and the create endpoints). Computes a line item's `amount`. */
  addRecord(hubId: number, type: CrmObjectType, properties: Record<string, string>, opts: { id?: string } = {}): SandboxRecord {
    const portal = this.portal(hubId);
    const id = opts.id ?? this.allocateId(portal);
    if (portal.table(type).has(id)) throw new Error(`sandbox: ${type} ${id} already exists`);
    const at = new Date(this.now()).toISOString();
    const record: SandboxRecord = { id, type, properties: withDerived(type, { ...properties }), createdAt: at, updatedAt: at, archived: false };
    portal.table(type).set(id, record);
    return record;
  }

  /** Sets properties (an empty string clears one, as in HubSpot). */
  updateRecord(hubId: number, type: CrmObjectType, id: string, properties: Record<string, string>): SandboxRecord {
    const r = this.get(hubId, type, id);
    if (!r) throw new Error(`sandbox: no live ${type} ${id}`);
    const before = { ...r.properties };
    for (const [k, v] of Object.entries(properties)) {
      if (v === '') delete r.properties[k];
      else r.properties[k] = v;
    }
    r.properties = withDerived(type, r.properties);
    r.updatedAt = this.bumpedNow(r.updatedAt);
    // Only values that changed, derived ones (a line item's amount) included, as HubSpot reports them.
    for (const [propertyName, value] of Object.entries(r.properties)) {
      if (before[propertyName] !== value) this.onChange?.(hubId, { kind: 'property', type, id, propertyName, propertyValue: value });
    }
    return r;
  }

  /** Archives a record: GETs answer 404 and associations to it disappear, as in HubSpot. */
  archive(hubId: number, type: CrmObjectType, id: string): void {
    const r = this.get(hubId, type, id);
    if (!r) return;
    r.archived = true;
    r.archivedAt = new Date(this.now()).toISOString();
    r.updatedAt = this.bumpedNow(r.updatedAt);
    this.onChange?.(hubId, { kind: 'deletion', type, id });
  }

  /**
   * Associates two records in both directions. Without `typeId` the pair's default type is used;
   * a primary type (deal -> company 5) brings its unlabeled companion. Enforces HubSpot's rule
   * that a line item belongs to one deal, quote or invoice.
   */
  associate(hubId: number, from: RecordRef, to: RecordRef, typeId?: number): number {
    const id = typeId ?? defaultAssociationTypeId(from.type, to.type);
    const t = id === undefined ? undefined : associationType(id);
    if (id === undefined || !t || t.from !== from.type || t.to !== to.type) {
      throw validationError(`${from.type} and ${to.type} cannot be associated with association type ${typeId ?? '(default)'}`);
    }
    this.checkSingleParent(hubId, from, to);
    this.checkSingleParent(hubId, to, from);
    const portal = this.portal(hubId);
    for (const tid of withCompanions(id)) {
      const inverse = associationType(tid)!.inverseTypeId;
      addTo(portal.linksOf(from, to.type), to.id, tid);
      addTo(portal.linksOf(to, from.type), from.id, inverse);
    }
    this.onChange?.(hubId, { kind: 'association', from, to, removed: false });
    return id;
  }

  /** Deletes a record and its associations outright (rolls back a failed create). */
  remove(hubId: number, type: CrmObjectType, id: string): void {
    const portal = this.portal(hubId);
    portal.table(type).delete(id);
    const own = portal.links.get(`${type}:${id}`);
    for (const [toType, byId] of own ?? []) for (const toId of byId.keys()) portal.linksOf({ type: toType, id: toId }, type).delete(id);
    portal.links.delete(`${type}:${id}`);
  }

  /** Removes every association between two records. */
  dissociate(hubId: number, a: RecordRef, b: RecordRef): void {
    const portal = this.portal(hubId);
    portal.linksOf(a, b.type).delete(b.id);
    portal.linksOf(b, a.type).delete(a.id);
    this.onChange?.(hubId, { kind: 'association', from: a, to: b, removed: true });
  }

  /** Live records of `toType` associated with a record, by ascending id. */
  associations(hubId: number, from: RecordRef, toType: CrmObjectType): AssociationLink[] {
    const links = this.portal(hubId).linksOf(from, toType);
    return [...links.entries()]
      .filter(([toId, types]) => types.size > 0 && this.get(hubId, toType, toId) !== undefined)
      .map(([toId, types]) => ({ toId, typeIds: [...types].sort((x, y) => x - y) }))
      .sort((a, b) => compareIds(a.toId, b.toId));
  }

  /** Test helper: adds a line item to a deal, quote or invoice. */
  addLineItem(hubId: number, parent: RecordRef, properties: Record<string, string>, opts: { id?: string } = {}): SandboxRecord {
    const li = this.addRecord(hubId, 'line_items', properties, opts);
    this.associate(hubId, parent, { type: 'line_items', id: li.id });
    return li;
  }

  /**
   * Test helper (webhook scenarios): replaces a deal's line items. The old ones are archived, as
   * when a user deletes lines in HubSpot; returns the new line items.
   */
  setDealLineItems(hubId: number, dealId: string, lines: Array<Record<string, string>>): SandboxRecord[] {
    const deal: RecordRef = { type: 'deals', id: dealId };
    if (!this.get(hubId, 'deals', dealId)) throw new Error(`sandbox: no live deal ${dealId}`);
    for (const l of this.associations(hubId, deal, 'line_items')) this.archive(hubId, 'line_items', l.toId);
    this.updateRecord(hubId, 'deals', dealId, {});
    return lines.map((p) => this.addLineItem(hubId, deal, p));
  }

  private checkSingleParent(hubId: number, lineItem: RecordRef, parent: RecordRef): void {
    if (lineItem.type !== 'line_items' || !PARENTS_OF_LINE_ITEMS.includes(parent.type)) return;
    for (const type of PARENTS_OF_LINE_ITEMS) {
      const other = this.associations(hubId, lineItem, type).find((l) => !(type === parent.type && l.toId === parent.id));
      if (other) {
        throw validationError(
          `Line item ${lineItem.id} is already associated with ${OBJECT_TYPES[type].singular} ${other.toId}. Line items belong to one single parent object; create a new line item instead.`,
        );
      }
    }
  }

  private portal(hubId: number): Portal {
    let p = this.portals.get(hubId);
    if (!p) this.portals.set(hubId, (p = new Portal()));
    return p;
  }

  private allocateId(portal: Portal): string {
    for (;;) {
      const id = String(portal.nextId++);
      if (![...portal.records.values()].some((t) => t.has(id))) return id;
    }
  }

  /** Now, but strictly after `previous`, so every write moves `updatedAt` forward. */
  private bumpedNow(previous: string): string {
    return new Date(Math.max(this.now(), Date.parse(previous) + 1)).toISOString();
  }
}

function addTo(map: Map<string, Set<number>>, id: string, typeId: number): void {
  let s = map.get(id);
  if (!s) map.set(id, (s = new Set()));
  s.add(typeId);
}

/** HubSpot computes a line item's `amount` from quantity, price and discounts. */
function withDerived(type: CrmObjectType, p: Record<string, string>): Record<string, string> {
  if (type !== 'line_items') return p;
  const amount = lineAmount(p.quantity, p.price, p.hs_discount_percentage, p.discount);
  if (amount !== null) p.amount = amount;
  return p;
}

/** Numeric order for numeric ids, then lexical. */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
