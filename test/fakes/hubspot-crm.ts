/**
 * HubSpot CRM faked at the HTTP boundary with nock, one intent-named helper per situation.
 * Responses follow HubSpot's wire format: every property a string; GET-by-id association lists
 * cut at 100 per type with `paging.next`; line items keyed "line items" (with a space) as
 * HubSpot does in some responses; a primary company listed twice (`deal_to_company` and
 * `deal_to_company_unlabeled`); v4 `toObjectId` as a number; error bodies with `correlationId`.
 *
 * Each helper returns the nock scope and `calls`, the requests it answered ("GET /path?query").
 */
import nock from 'nock';

export interface LineSpec {
  id?: string;
  name?: string | null;
  description?: string | null;
  sku?: string | null;
  quantity?: string | null;
  price?: string | null;
  discount?: string | null;
  discountPercent?: string | null;
  /** hs_tax_rate_group_id */
  taxRateGroupId?: string | null;
  productId?: string | null;
  currency?: string | null;
  position?: string | null;
}

export interface ContactSpec {
  id: string;
  firstname?: string | null;
  lastname?: string | null;
  email?: string | null;
  address?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
  country?: string | null;
}

export interface CompanySpec {
  id: string;
  name?: string | null;
  address?: string | null;
  address2?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
  country?: string | null;
}

export interface QuoteSpec {
  id: string;
  title?: string | null;
  status?: string | null;
  locked?: boolean;
  currency?: string | null;
}

export interface Fake {
  scope: nock.Scope;
  /** "METHOD /path?query" of every request this fake answered, in order. */
  calls: string[];
}

interface Paging {
  /** Associations per type in the GET-by-id response before `paging.next` (HubSpot: 100). */
  getPageSize?: number;
  /** Associations per page of the v4 batch read. */
  v4PageSize?: number;
  /** Key of the line items list in `associations`: HubSpot uses both. */
  lineItemsKey?: 'line items' | 'line_items';
}

type Props = Record<string, string | null>;

const DEFAULT_GET_PAGE = 100;
const DEFAULT_V4_PAGE = 500;

/** Numbers the fakes hand out: ids are numeric strings, as in HubSpot. */
export function lineIds(parentId: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${parentId}${String(i + 1).padStart(4, '0')}`);
}

function lineSpecs(parentId: string, lines: number | LineSpec[]): (LineSpec & { id: string })[] {
  const specs = typeof lines === 'number' ? Array.from({ length: lines }, () => ({}) as LineSpec) : lines;
  const ids = lineIds(parentId, specs.length);
  return specs.map((s, i) => ({ ...s, id: s.id ?? ids[i]! }));
}

function lineProps(spec: LineSpec, index: number): Props {
  const pick = <T>(v: T | undefined, fallback: T) => (v === undefined ? fallback : v);
  return {
    name: pick(spec.name, `Line ${index + 1}`),
    description: pick(spec.description, ''),
    hs_sku: pick(spec.sku, `SKU-${index + 1}`),
    quantity: pick(spec.quantity, '1'),
    price: pick(spec.price, '10.00'),
    discount: pick(spec.discount, null),
    hs_discount_percentage: pick(spec.discountPercent, null),
    hs_tax_rate_group_id: pick(spec.taxRateGroupId, null),
    hs_product_id: pick(spec.productId, null),
    hs_line_item_currency_code: pick(spec.currency, 'EUR'),
    hs_position_on_quote: pick(spec.position, null),
    hs_object_id: spec.id ?? null,
  };
}

function contactSpecs(contacts: number | ContactSpec[] | undefined, first = 501): ContactSpec[] {
  if (contacts === undefined) return [];
  if (typeof contacts !== 'number') return contacts;
  return Array.from({ length: contacts }, (_, i) => ({
    id: String(first + i),
    firstname: `Ada${i + 1}`,
    lastname: 'Lovelace',
    email: `ada${i + 1}@example.test`,
  }));
}

function companySpecs(companies: number | CompanySpec[] | undefined, first = 701): CompanySpec[] {
  if (companies === undefined) return [];
  if (typeof companies !== 'number') return companies;
  return Array.from({ length: companies }, (_, i) => ({ id: String(first + i), name: `Company ${i + 1}` }));
}

function propsOf(spec: object): Props {
  const { id: _id, ...rest } = spec as Record<string, unknown>;
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v === undefined ? null : (v as string | null)]));
}

/** One association list as GET-by-id returns it: cut at `pageSize`, with a v3-style cursor. */
function collection(refs: { id: string; type: string }[], pageSize: number) {
  const shown = refs.slice(0, pageSize);
  return {
    results: shown,
    ...(refs.length > pageSize
      ? { paging: { next: { after: `v3-${shown.length}`, link: `https://api.hubapi.com/crm/objects/2026-03/x/associations?after=v3-${shown.length}` } } }
      : {}),
  };
}

function recorder(scope: nock.Scope): string[] {
  const calls: string[] = [];
  scope.on('request', (req: { method: string; path: string }) => calls.push(`${req.method} ${req.path}`));
  return calls;
}

function newScope(base: string, token?: string): nock.Scope {
  return nock(base, { reqheaders: { authorization: token ? `Bearer ${token}` : /^Bearer \S+$/ } });
}

/** Answers objects batch reads of `objectType` from `records`, `times` times (HubSpot's cap: 100 ids). */
function batchRead(scope: nock.Scope, objectType: string, records: Map<string, Props>, times: number, requiredProps: string[]): void {
  if (times === 0) return;
  scope
    .post(`/crm/objects/2026-03/${objectType}/batch/read`, (body: { inputs?: { id: string }[]; properties?: string[] }) => {
      return Array.isArray(body.inputs) && requiredProps.every((p) => body.properties?.includes(p));
    })
    .times(times)
    .reply((_uri, body) => {
      const inputs = (body as { inputs: { id: string }[] }).inputs;
      if (inputs.length > 100)
        return [400, { status: 'error', message: 'Batch read limited to 100 inputs', category: 'VALIDATION_ERROR', correlationId: 'cid-batch-limit' }];
      const now = new Date().toISOString();
      const results = inputs
        .filter((i) => records.has(i.id))
        .map((i) => ({ id: i.id, properties: records.get(i.id)!, createdAt: now, updatedAt: now, archived: false }));
      const missing = inputs.filter((i) => !records.has(i.id)).map((i) => i.id);
      return [
        missing.length > 0 ? 207 : 200,
        {
          status: 'COMPLETE',
          results,
          ...(missing.length > 0
            ? { numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some objects', context: { ids: missing } }] }
            : {}),
          startedAt: now,
          completedAt: now,
        },
      ];
    });
}

/** Answers the v4 association batch read for `fromId` -> `toType`, page by page. */
function v4Associations(
  scope: nock.Scope,
  fromType: string,
  fromId: string,
  toType: string,
  refs: { id: string; typeIds: number[] }[],
  pageSize: number,
): void {
  const pages = Math.max(1, Math.ceil(refs.length / pageSize));
  for (let p = 0; p < pages; p += 1) {
    const slice = refs.slice(p * pageSize, (p + 1) * pageSize);
    const expectedAfter = p === 0 ? undefined : `v4-page-${p}`;
    scope
      .post(`/crm/associations/2026-03/${fromType}/${toType}/batch/read`, (body: { inputs?: { id: string; after?: string }[] }) => {
        const input = body.inputs?.[0];
        return body.inputs?.length === 1 && input?.id === fromId && input.after === expectedAfter;
      })
      .reply(200, {
        status: 'COMPLETE',
        results: [
          {
            from: { id: fromId },
            to: slice.map((r) => ({
              toObjectId: Number(r.id),
              associationTypes: r.typeIds.map((typeId) => ({ category: 'HUBSPOT_DEFINED', typeId, label: typeId === 5 || typeId === 1 ? 'Primary' : null })),
            })),
            ...(p + 1 < pages ? { paging: { next: { after: `v4-page-${p + 1}`, link: '' } } } : {}),
          },
        ],
        startedAt: new Date().toISOString(),
        completedAt: new Date().toISOString(),
      });
  }
}

/** GET by id answered with properties and association lists (and v4 follow-ups where cut). */
function recordWithAssociations(
  scope: nock.Scope,
  o: {
    objectType: string;
    id: string;
    query: Record<string, string>;
    properties: Props;
    lists: { key: string; toType: string; refs: { id: string; types: string[]; typeIds: number[] }[] }[];
    paging: Paging;
  },
): void {
  const getPage = o.paging.getPageSize ?? DEFAULT_GET_PAGE;
  const associations: Record<string, unknown> = {};
  for (const list of o.lists) {
    if (list.refs.length === 0) continue;
    const flat = list.refs.flatMap((r) => r.types.map((type) => ({ id: r.id, type })));
    associations[list.key] = collection(flat, getPage);
    if (flat.length > getPage) {
      v4Associations(scope, o.objectType, o.id, list.toType, list.refs, o.paging.v4PageSize ?? DEFAULT_V4_PAGE);
    }
  }
  const now = new Date().toISOString();
  scope
    .get(`/crm/objects/2026-03/${o.objectType}/${o.id}`)
    .query(o.query)
    .reply(200, {
      id: o.id,
      properties: { ...o.properties, hs_object_id: o.id },
      createdAt: now,
      updatedAt: now,
      archived: false,
      ...(Object.keys(associations).length > 0 ? { associations } : {}),
    });
}

const LINE_PROPS = ['name', 'quantity', 'price', 'discount', 'hs_discount_percentage'];

export const hubspot = {
  /**
   * A deal with `lines` line items, contacts and companies; `primaryCompanyId` (default: the
   * last company) is listed last by HubSpot here, to prove the adapter puts it first.
   */
  dealWithLineItems(
    base: string,
    o: {
      dealId: string;
      lines: number | LineSpec[];
      contacts?: number | ContactSpec[];
      companies?: number | CompanySpec[];
      primaryCompanyId?: string;
      name?: string | null;
      currency?: string | null;
      token?: string;
    } & Paging,
  ): Fake & { lineItemIds: string[]; contactIds: string[]; companyIds: string[] } {
    const scope = newScope(base, o.token);
    const calls = recorder(scope);
    const lines = lineSpecs(o.dealId, o.lines);
    const contacts = contactSpecs(o.contacts);
    const companies = companySpecs(o.companies);
    const primary = o.primaryCompanyId ?? companies.at(-1)?.id;
    recordWithAssociations(scope, {
      objectType: 'deals',
      id: o.dealId,
      query: { properties: 'dealname,deal_currency_code', associations: 'line_items,contacts,companies', archived: 'false' },
      properties: { dealname: o.name === undefined ? `Deal ${o.dealId}` : o.name, deal_currency_code: o.currency === undefined ? 'EUR' : o.currency },
      paging: o,
      lists: [
        { key: o.lineItemsKey ?? 'line items', toType: 'line_items', refs: lines.map((l) => ({ id: l.id, types: ['deal_to_line_item'], typeIds: [19] })) },
        { key: 'contacts', toType: 'contacts', refs: contacts.map((c) => ({ id: c.id, types: ['deal_to_contact'], typeIds: [3] })) },
        {
          key: 'companies',
          toType: 'companies',
          refs: companies.map((c) =>
            c.id === primary
              ? { id: c.id, types: ['deal_to_company', 'deal_to_company_unlabeled'], typeIds: [5, 341] }
              : { id: c.id, types: ['deal_to_company_unlabeled'], typeIds: [341] },
          ),
        },
      ],
    });
    batchRead(scope, 'line_items', new Map(lines.map((l, i) => [l.id, lineProps(l, i)])), Math.ceil(lines.length / 100), LINE_PROPS);
    batchRead(scope, 'contacts', new Map(contacts.map((c) => [c.id, propsOf(c)])), contacts.length > 0 ? Math.ceil(contacts.length / 100) : 0, [
      'firstname',
      'email',
    ]);
    batchRead(scope, 'companies', new Map(companies.map((c) => [c.id, propsOf(c)])), companies.length > 0 ? Math.ceil(companies.length / 100) : 0, [
      'name',
      'address2',
    ]);
    return { scope, calls, lineItemIds: lines.map((l) => l.id), contactIds: contacts.map((c) => c.id), companyIds: companies.map((c) => c.id) };
  },

  /** A quote with its line items, deals, contacts and companies. */
  quoteWithLineItems(
    base: string,
    o: { quote: QuoteSpec; lines: number | LineSpec[]; dealIds?: string[]; contacts?: number | ContactSpec[]; companies?: number | CompanySpec[] } & Paging,
  ): Fake {
    const scope = newScope(base);
    const calls = recorder(scope);
    const lines = lineSpecs(o.quote.id, o.lines);
    const contacts = contactSpecs(o.contacts);
    const companies = companySpecs(o.companies);
    recordWithAssociations(scope, {
      objectType: 'quotes',
      id: o.quote.id,
      query: { properties: 'hs_title,hs_status,hs_locked,hs_currency', associations: 'line_items,deals,contacts,companies', archived: 'false' },
      properties: quoteProps(o.quote),
      paging: o,
      lists: [
        { key: o.lineItemsKey ?? 'line items', toType: 'line_items', refs: lines.map((l) => ({ id: l.id, types: ['quote_to_line_item'], typeIds: [67] })) },
        { key: 'deals', toType: 'deals', refs: (o.dealIds ?? []).map((id) => ({ id, types: ['quote_to_deal'], typeIds: [64] })) },
        { key: 'contacts', toType: 'contacts', refs: contacts.map((c) => ({ id: c.id, types: ['quote_to_contact'], typeIds: [69] })) },
        { key: 'companies', toType: 'companies', refs: companies.map((c) => ({ id: c.id, types: ['quote_to_company'], typeIds: [71] })) },
      ],
    });
    batchRead(scope, 'line_items', new Map(lines.map((l, i) => [l.id, lineProps(l, i)])), Math.ceil(lines.length / 100), LINE_PROPS);
    batchRead(scope, 'contacts', new Map(contacts.map((c) => [c.id, propsOf(c)])), contacts.length > 0 ? 1 : 0, ['firstname']);
    batchRead(scope, 'companies', new Map(companies.map((c) => [c.id, propsOf(c)])), companies.length > 0 ? 1 : 0, ['name']);
    return { scope, calls };
  },

  /** A deal and the quotes associated with it. */
  dealQuotes(base: string, o: { dealId: string; quotes: QuoteSpec[] }): Fake {
    const scope = newScope(base);
    const calls = recorder(scope);
    recordWithAssociations(scope, {
      objectType: 'deals',
      id: o.dealId,
      query: { associations: 'quotes', archived: 'false' },
      properties: { dealname: `Deal ${o.dealId}` },
      paging: {},
      lists: [{ key: 'quotes', toType: 'quotes', refs: o.quotes.map((q) => ({ id: q.id, types: ['deal_to_quote'], typeIds: [63] })) }],
    });
    batchRead(scope, 'quotes', new Map(o.quotes.map((q) => [q.id, quoteProps(q)])), o.quotes.length > 0 ? 1 : 0, ['hs_title', 'hs_locked']);
    return { scope, calls };
  },

  /** A contact and its companies; `primaryCompanyId` (default: the last) via `contact_to_company`. */
  contactWithCompanies(base: string, o: { contact: ContactSpec; companies?: number | CompanySpec[]; primaryCompanyId?: string; token?: string }): Fake {
    const scope = newScope(base, o.token);
    const calls = recorder(scope);
    const companies = companySpecs(o.companies);
    const primary = o.primaryCompanyId ?? companies.at(-1)?.id;
    recordWithAssociations(scope, {
      objectType: 'contacts',
      id: o.contact.id,
      query: { properties: 'firstname,lastname,email,address,city,state,zip,country', associations: 'companies', archived: 'false' },
      properties: propsOf(o.contact),
      paging: {},
      lists: [
        {
          key: 'companies',
          toType: 'companies',
          refs: companies.map((c) =>
            c.id === primary
              ? { id: c.id, types: ['contact_to_company', 'contact_to_company_unlabeled'], typeIds: [1, 279] }
              : { id: c.id, types: ['contact_to_company_unlabeled'], typeIds: [279] },
          ),
        },
      ],
    });
    batchRead(scope, 'companies', new Map(companies.map((c) => [c.id, propsOf(c)])), companies.length > 0 ? 1 : 0, ['name']);
    return { scope, calls };
  },

  /** A company and its contacts. */
  companyWithContacts(base: string, o: { company: CompanySpec; contacts?: number | ContactSpec[] }): Fake {
    const scope = newScope(base);
    const calls = recorder(scope);
    const contacts = contactSpecs(o.contacts);
    recordWithAssociations(scope, {
      objectType: 'companies',
      id: o.company.id,
      query: { properties: 'name,address,address2,city,state,zip,country', associations: 'contacts', archived: 'false' },
      properties: propsOf(o.company),
      paging: {},
      lists: [{ key: 'contacts', toType: 'contacts', refs: contacts.map((c) => ({ id: c.id, types: ['company_to_contact_unlabeled'], typeIds: [280] })) }],
    });
    batchRead(scope, 'contacts', new Map(contacts.map((c) => [c.id, propsOf(c)])), contacts.length > 0 ? 1 : 0, ['firstname']);
    return { scope, calls };
  },

  /** GET by id answers 404 OBJECT_NOT_FOUND, as HubSpot does for unknown or archived ids. */
  recordNotFound(base: string, objectType: string, id: string): Fake {
    return errorOnGet(base, objectType, id, 404, { category: 'OBJECT_NOT_FOUND', message: 'Object not found.  objectId are usually numeric.' });
  },

  /** GET by id answers the record flagged `archived: true`. */
  archivedRecord(base: string, objectType: string, id: string): Fake {
    const scope = newScope(base);
    const calls = recorder(scope);
    scope
      .get(`/crm/objects/2026-03/${objectType}/${id}`)
      .query(true)
      .reply(200, { id, properties: { hs_object_id: id }, archived: true, archivedAt: new Date().toISOString() });
    return { scope, calls };
  },

  /** GET by id answers 401: the token was revoked or expired. */
  unauthorized(base: string, objectType: string, id: string): Fake {
    return errorOnGet(base, objectType, id, 401, { category: 'INVALID_AUTHENTICATION', message: 'Authentication credentials not found.' });
  },

  /** GET by id answers `status` (5xx) `times` times with HubSpot's error body. */
  serverErrors(base: string, objectType: string, id: string, o: { times: number; status?: number; correlationId: string }): Fake {
    return errorOnGet(base, objectType, id, o.status ?? 503, { category: 'INTERNAL_ERROR', message: 'Service unavailable' }, o.times, o.correlationId);
  },

  /** One 429 (TEN_SECONDLY_ROLLING) with `Retry-After`; register the success after it. */
  rateLimitedOnce(base: string, objectType: string, id: string, o: { retryAfterSeconds?: number } = {}): Fake {
    const scope = newScope(base);
    const calls = recorder(scope);
    scope
      .get(`/crm/objects/2026-03/${objectType}/${id}`)
      .query(true)
      .reply(
        429,
        {
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          correlationId: 'cid-429',
          policyName: 'TEN_SECONDLY_ROLLING',
          groupName: 'publicapi:app-install:1',
        },
        o.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(o.retryAfterSeconds) },
      );
    return { scope, calls };
  },

  /** GET by id answers only after `delayMs`, `times` times. */
  slowResponses(base: string, objectType: string, id: string, o: { times: number; delayMs: number }): Fake {
    const scope = newScope(base);
    const calls = recorder(scope);
    scope.get(`/crm/objects/2026-03/${objectType}/${id}`).query(true).times(o.times).delay(o.delayMs).reply(200, { id, properties: {} });
    return { scope, calls };
  },

  /** GET by id answers 200 with `body` as is: broken JSON (a string) or a wrongly shaped object. */
  malformedBody(base: string, objectType: string, id: string, body: string | object): Fake {
    const scope = newScope(base);
    const calls = recorder(scope);
    scope.get(`/crm/objects/2026-03/${objectType}/${id}`).query(true).reply(200, body, { 'content-type': 'application/json' });
    return { scope, calls };
  },
};

function quoteProps(q: QuoteSpec): Props {
  return {
    hs_title: q.title === undefined ? `Quote ${q.id}` : q.title,
    hs_status: q.status === undefined ? 'DRAFT' : q.status,
    hs_locked: q.locked === undefined ? null : String(q.locked),
    hs_currency: q.currency === undefined ? 'EUR' : q.currency,
  };
}

function errorOnGet(
  base: string,
  objectType: string,
  id: string,
  status: number,
  e: { category: string; message: string },
  times = 1,
  correlationId = `cid-${status}`,
): Fake {
  const scope = newScope(base);
  const calls = recorder(scope);
  scope
    .get(`/crm/objects/2026-03/${objectType}/${id}`)
    .query(true)
    .times(times)
    .reply(status, { status: 'error', message: e.message, correlationId, category: e.category });
  return { scope, calls };
}
