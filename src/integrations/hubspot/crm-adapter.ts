/**
 * CrmPort over HubSpot's CRM API. Reads use batch endpoints so that one bundle costs a handful of
 * calls whatever its size:
 *
 * Paths come from api-version.ts (date version 2026-03); below, `{v}` stands for it.
 * - readDeal: GET /crm/objects/{v}/deals/{id}?properties=dealname,deal_currency_code
 *   &associations=line_items,contacts,companies&archived=false; for an association list HubSpot
 *   cut short (`paging.next`, 100 per type), POST /crm/associations/{v}/deals/{to}/batch/read
 *   (paged until done); then POST /crm/objects/{v}/{line_items|contacts|companies}/batch/read in
 *   chunks of 100 ids, skipped when there are none. <= 100 lines: <= 4 calls.
 * - readQuote: the same with GET /crm/objects/{v}/quotes/{id} (associations line_items, deals,
 *   contacts, companies; deals are returned as ids only).
 * - listDealQuotes: GET deal ?associations=quotes, then quotes batch read.
 * - readContact / readCompany: GET with ?associations=companies / contacts, then one batch read.
 *
 * Missing or archived records read by id -> crmRecordNotFound. Associated contacts, companies
 * and quotes that vanished between calls are left out (logged); associated line items that
 * vanished make the read fail, because an invoice without some of its lines would be wrong.
 * Field mapping: see crm-mapping.ts. HTTP, limits and retries: see http-retry.ts.
 */
import type { Logger } from 'pino';
import {
  crmRecordNotFound,
  type CompanyBundle,
  type ContactBundle,
  type CrmCompany,
  type CrmContact,
  type CrmLineItem,
  type CrmQuote,
  type DealBundle,
  type QuoteBundle,
} from '../../domain/crm.js';
import { type CrmPort } from '../../app/ports/crm.js';
import { DomainError } from '../../domain/errors.js';
import {
  associationsBatchSchema,
  associationsOf,
  batchReadSchema,
  COMPANY_PROPERTIES,
  CONTACT_PROPERTIES,
  DEAL_PROPERTIES,
  LINE_ITEM_PROPERTIES,
  objectWithAssociationsSchema,
  orderedIds,
  parseWire,
  primaryType,
  QUOTE_PROPERTIES,
  sortLineItems,
  toCompany,
  toContact,
  toDeal,
  toLineItem,
  toQuote,
  type AssociationRef,
  type ObjectWithAssociations,
  type SimpleObject,
} from './crm-mapping.js';
import { hubspotPaths } from './api-version.js';
import { HubSpotHttp, type HubSpotHttpOptions } from './http-retry.js';

/** Constructor options; `baseUrl` is config.hubspot.apiBaseUrl. */
export type HubSpotCrmAdapterOptions = HubSpotHttpOptions;

/** HubSpot's cap on ids per objects batch read. */
const BATCH_READ_SIZE = 100;
/** Guard against a cursor that never ends (1000 pages is far beyond any real association list). */
const MAX_ASSOCIATION_PAGES = 1000;

const SINGULAR: Record<string, string> = {
  deals: 'deal',
  quotes: 'quote',
  contacts: 'contact',
  companies: 'company',
  line_items: 'line item',
};

export class HubSpotCrmAdapter implements CrmPort {
  private readonly http: HubSpotHttp;
  private readonly logger: Logger;

  constructor(opts: HubSpotCrmAdapterOptions) {
    this.http = new HubSpotHttp(opts);
    this.logger = opts.logger;
  }

  async readDeal(portalId: number, dealId: string): Promise<DealBundle> {
    const deal = await this.getRecord(portalId, 'deals', dealId, DEAL_PROPERTIES, ['line_items', 'contacts', 'companies']);
    const [lineIds, contactIds, companyIds] = await Promise.all([
      this.associatedIds(portalId, 'deals', deal, 'line_items'),
      this.associatedIds(portalId, 'deals', deal, 'contacts'),
      this.associatedIds(portalId, 'deals', deal, 'companies'),
    ]);
    const [lineItems, contacts, companies] = await Promise.all([
      this.lineItems(portalId, 'deal', deal.id, lineIds),
      this.contacts(portalId, contactIds),
      this.companies(portalId, companyIds),
    ]);
    return { deal: toDeal(deal), lineItems, contacts, companies };
  }

  async readQuote(portalId: number, quoteId: string): Promise<QuoteBundle> {
    const quote = await this.getRecord(portalId, 'quotes', quoteId, QUOTE_PROPERTIES, ['line_items', 'deals', 'contacts', 'companies']);
    const [lineIds, dealIds, contactIds, companyIds] = await Promise.all([
      this.associatedIds(portalId, 'quotes', quote, 'line_items'),
      this.associatedIds(portalId, 'quotes', quote, 'deals'),
      this.associatedIds(portalId, 'quotes', quote, 'contacts'),
      this.associatedIds(portalId, 'quotes', quote, 'companies'),
    ]);
    const [lineItems, contacts, companies] = await Promise.all([
      this.lineItems(portalId, 'quote', quote.id, lineIds),
      this.contacts(portalId, contactIds),
      this.companies(portalId, companyIds),
    ]);
    return { quote: toQuote(quote), lineItems, dealIds, contacts, companies };
  }

  async listDealQuotes(portalId: number, dealId: string): Promise<CrmQuote[]> {
    const deal = await this.getRecord(portalId, 'deals', dealId, [], ['quotes']);
    const quoteIds = await this.associatedIds(portalId, 'deals', deal, 'quotes');
    const { records } = await this.batchRead(portalId, 'quotes', quoteIds, QUOTE_PROPERTIES);
    return records.map(toQuote);
  }

  async readContact(portalId: number, contactId: string): Promise<ContactBundle> {
    const contact = await this.getRecord(portalId, 'contacts', contactId, CONTACT_PROPERTIES, ['companies']);
    const companyIds = await this.associatedIds(portalId, 'contacts', contact, 'companies');
    return { contact: toContact(contact), companies: await this.companies(portalId, companyIds) };
  }

  async readCompany(portalId: number, companyId: string): Promise<CompanyBundle> {
    const company = await this.getRecord(portalId, 'companies', companyId, COMPANY_PROPERTIES, ['contacts']);
    const contactIds = await this.associatedIds(portalId, 'companies', company, 'contacts');
    return { company: toCompany(company), contacts: await this.contacts(portalId, contactIds) };
  }

  // ---- reads ----------------------------------------------------------------------------------

  /** GET one record with its first page of associations; 404 or archived -> not found. */
  private async getRecord(
    portalId: number,
    objectType: string,
    id: string,
    properties: readonly string[],
    associations: readonly string[],
  ): Promise<ObjectWithAssociations> {
    const query = [
      ...(properties.length > 0 ? [`properties=${properties.map(encodeURIComponent).join(',')}`] : []),
      `associations=${associations.map(encodeURIComponent).join(',')}`,
      'archived=false',
    ].join('&');
    const res = await this.http.request(portalId, { method: 'GET', path: hubspotPaths.objects(objectType, id), query });
    if (res.status === 404) throw crmRecordNotFound(SINGULAR[objectType] ?? objectType, id);
    const record = parseWire(objectWithAssociationsSchema, res.body, `${SINGULAR[objectType] ?? objectType} read`);
    if (record.archived === true) throw crmRecordNotFound(SINGULAR[objectType] ?? objectType, id);
    return record;
  }

  /**
   * Ids of `record`'s `toType` associations, primary first. When the GET's list was cut short,
   * the whole list is read again from the associations batch API (from the start: the objects API's
   * cursor is not a documented associations cursor) and merged with what the GET gave.
   */
  private async associatedIds(portalId: number, fromType: string, record: ObjectWithAssociations, toType: string): Promise<string[]> {
    const first = associationsOf(record, fromType, toType);
    if (!first.hasMore) return orderedIds(first.refs);
    const refs: AssociationRef[] = [...first.refs];
    const primaryTypeId = primaryType(fromType, toType)?.typeId;
    const seen = new Set<string>();
    let after: string | undefined;
    for (let page = 0; ; page += 1) {
      if (page >= MAX_ASSOCIATION_PAGES)
        throw new DomainError('upstream_error', `HubSpot failed: ${fromType} ${record.id} -> ${toType} associations do not end`);
      const res = await this.http.request(portalId, {
        method: 'POST',
        path: hubspotPaths.associationsBatchRead(fromType, toType),
        body: { inputs: [{ id: record.id, ...(after !== undefined ? { after } : {}) }] },
      });
      if (res.status === 404) throw new DomainError('upstream_error', `HubSpot failed: associations ${fromType} -> ${toType} answered 404`);
      const parsed = parseWire(associationsBatchSchema, res.body, 'associations batch read');
      const entry = parsed.results.find((r) => r.from.id === record.id);
      for (const to of entry?.to ?? []) {
        refs.push({ id: to.toObjectId, primary: primaryTypeId !== undefined && to.associationTypes.some((t) => t.typeId === primaryTypeId) });
      }
      after = entry?.paging?.next?.after ?? undefined;
      if (after === undefined) break;
      if (seen.has(after)) throw new DomainError('upstream_error', `HubSpot failed: ${fromType} ${record.id} -> ${toType} associations repeat a page`);
      seen.add(after);
    }
    return orderedIds(refs);
  }

  /** Objects batch read in chunks of 100, in `ids` order; `missing` lists ids HubSpot did not return. */
  private async batchRead(
    portalId: number,
    objectType: string,
    ids: string[],
    properties: readonly string[],
  ): Promise<{ records: SimpleObject[]; missing: string[] }> {
    if (ids.length === 0) return { records: [], missing: [] };
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += BATCH_READ_SIZE) chunks.push(ids.slice(i, i + BATCH_READ_SIZE));
    const pages = await Promise.all(
      chunks.map(async (chunk) => {
        const res = await this.http.request(portalId, {
          method: 'POST',
          path: hubspotPaths.objects(objectType, 'batch', 'read'),
          body: { inputs: chunk.map((id) => ({ id })), properties: [...properties], propertiesWithHistory: [] },
        });
        if (res.status === 404) throw new DomainError('upstream_error', `HubSpot failed: ${objectType} batch read answered 404`);
        return parseWire(batchReadSchema, res.body, `${SINGULAR[objectType] ?? objectType} batch read`).results;
      }),
    );
    const byId = new Map<string, SimpleObject>();
    for (const record of pages.flat()) if (record.archived !== true) byId.set(record.id, record);
    const records: SimpleObject[] = [];
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const record = byId.get(id);
      if (record) records.push(record);
      else missing.push(id);
    }
    if (missing.length > 0) {
      this.logger.warn(
        { portalId, objectType, missing: missing.slice(0, 20), count: missing.length },
        'HubSpot batch read did not return some associated records',
      );
    }
    return { records, missing };
  }

  private async lineItems(portalId: number, parentType: string, parentId: string, ids: string[]): Promise<CrmLineItem[]> {
    const { records, missing } = await this.batchRead(portalId, 'line_items', ids, LINE_ITEM_PROPERTIES);
    if (missing.length > 0) {
      throw new DomainError(
        'upstream_error',
        `HubSpot failed: ${missing.length} line item(s) of ${parentType} ${parentId} could not be read (${missing.slice(0, 5).join(', ')}); try again`,
      );
    }
    return sortLineItems(records).map((record, index) => toLineItem(record, index));
  }

  private async contacts(portalId: number, ids: string[]): Promise<CrmContact[]> {
    return (await this.batchRead(portalId, 'contacts', ids, CONTACT_PROPERTIES)).records.map(toContact);
  }

  private async companies(portalId: number, ids: string[]): Promise<CrmCompany[]> {
    return (await this.batchRead(portalId, 'companies', ids, COMPANY_PROPERTIES)).records.map(toCompany);
  }
}
