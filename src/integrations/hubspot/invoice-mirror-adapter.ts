/**
 * InvoiceMirrorPort over HubSpot's CRM API: writes our finalized invoices into HubSpot's invoice
 * object as non-billable records (`hs_invoice_billable: false`, no payment settings), with copies
 * of our lines as new line items. Paths come from api-version.ts; `{v}` below is the date version.
 *
 * Calls, per step:
 * - findInvoice: POST /crm/objects/{v}/invoices/search, filter `invoicing_app_invoice_id EQ <our id>`.
 * - createInvoice: POST /crm/objects/{v}/invoices (draft; HubSpot needs `hs_currency`). Sent once:
 *   after a 5xx or a timeout HubSpot may have created it, so the caller looks it up first next time.
 * - ensureContact: POST /crm/objects/{v}/contacts/search (`email EQ`), else POST
 *   /crm/objects/{v}/contacts (scope crm.objects.contacts.write); HubSpot's 409 for an email it
 *   already has (its search index lags behind creates) answers the existing id from the error.
 * - associate: PUT /crm/objects/{v}/invoices/{id}/associations/default/{type}/{toId} per record
 *   (HubSpot picks the default type). A record HubSpot no longer has (404) is reported, not fatal.
 * - listLineItems: GET /crm/objects/{v}/invoices/{id}/associations/line_items, then
 *   POST /crm/objects/{v}/line_items/batch/read for `hs_position_on_quote`.
 * - createLineItems: POST /crm/objects/{v}/line_items/batch/create (<= 100), each with the
 *   line item -> invoice association, its type id looked up (association-types.ts). Results are
 *   matched by position, not by order. A line with a non-zero tax rate gets
 *   `hs_tax_rate_group_id` when exactly one active group of the portal's tax rate library has
 *   that rate (GET /tax-rates/{v}/tax-rates, tax-rate-groups.ts); otherwise, or when the library
 *   cannot be read, the line goes without a group and a warning names the rate: the mirror still
 *   completes, the invoice's tax being in `invoicing_app_tax_total`.
 * - setState: PATCH /crm/objects/{v}/invoices/{id}.
 *
 * HubSpot rules this follows (developers.hubspot.com/docs/api-reference/latest/crm/objects/invoices/guide):
 * `hs_invoice_status` is draft | open | paid | voided; `open` needs exactly one contact and at
 * least one line item; payments cannot be recorded through the API, so HubSpot's status cannot be
 * made `paid` by us. A paid invoice therefore stays `open` in HubSpot while our status and
 * balance travel in the app's own invoice properties below. Amounts are decimal strings in major
 * units (minorToDecimalString), never floats.
 *
 * The app's invoice properties (MIRROR_PROPERTY) are custom properties: HubSpot refuses unknown
 * property names (PROPERTY_DOESNT_EXIST), so `ensureMirrorProperties` creates them before the first
 * call of a portal that uses them (findInvoice, createInvoice, setState), which also covers portals
 * installed before the mirror existed:
 * - GET /crm/properties/{v}/invoices/groups/invoicing_app; only on 404 POST .../groups
 *   `{name: "invoicing_app", label}` (a 409 there, another worker's create, also counts as done).
 * - POST /crm/properties/{v}/invoices/batch/create `{inputs: invoiceMirrorPropertyDefinitions()}`;
 *   HubSpot answers 2xx with `results` and `errors[]`, an existing property being an error of
 *   category OBJECT_ALREADY_EXISTS (`context.name: [name]`), which counts as done.
 * Both need the scope `crm.schemas.invoices.write` (app.json). Once a portal succeeded, this process
 * remembers it; a failure (e.g. 403 MISSING_SCOPES on an install that predates the scope) is not
 * remembered, so the mirror's next attempt tries again.
 * `invoicing_app_invoice_id` has unique values, so HubSpot itself refuses a second invoice for the
 * same id should a search lag behind a create.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { InvoiceMirrorPort, MirrorAssociations, MirrorBuyer, MirrorInvoice, MirrorLine, MirrorState } from '../../app/ports/invoice-mirror.js';
import { DomainError } from '../../domain/errors.js';
import { batchReadSchema, parseWire } from './crm-mapping.js';
import { defaultAssociationTypeId } from './association-types.js';
import { hubspotPaths } from './api-version.js';
import { HubSpotHttp, type HubSpotHttpOptions } from './http-retry.js';
import { matchTaxRateGroup, normalizedRate, TaxRateLibrary } from './tax-rate-groups.js';
import {
  contactProperties,
  invoiceMirrorPropertyDefinitions,
  MIRROR_CUSTOM_PROPERTIES,
  invoiceProperties,
  lineItemProperties,
  MIRROR_PROPERTY,
  MIRROR_PROPERTY_GROUP,
  MIRROR_PROPERTY_GROUP_LABEL,
  stateProperties,
} from './invoice-mirror-mapping.js';

export * from './invoice-mirror-mapping.js';

/** HubSpot caps batch create and batch read at 100 inputs, and v4 association lists at 500 per page. */
const BATCH_SIZE = 100;
const ASSOCIATION_PAGE_LIMIT = 500;
const MAX_ASSOCIATION_PAGES = 100;

export type HubSpotInvoiceMirrorOptions = HubSpotHttpOptions;

const createdSchema = z.object({ id: z.string().regex(/^[0-9]+$/) });
/** Batch create of properties: created ones in `results`, refused ones in `errors` (207). */
const propertyBatchSchema = z.object({
  results: z.array(z.object({ name: z.string() }).passthrough()).default([]),
  errors: z
    .array(
      z
        .object({
          category: z.string().optional(),
          message: z.string().optional(),
          context: z.record(z.string(), z.array(z.string())).optional(),
        })
        .passthrough(),
    )
    .default([]),
});
const v4ListSchema = z.object({
  results: z.array(z.object({ toObjectId: z.union([z.number(), z.string()]).transform(String) })),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

export class HubSpotInvoiceMirrorAdapter implements InvoiceMirrorPort {
  readonly lineItemBatchSize = BATCH_SIZE;
  private readonly http: HubSpotHttp;
  private readonly logger: Logger;
  /** Portals whose custom invoice properties this process has seen created (or existing). */
  private readonly propertiesReady = new Set<number>();
  /** One ensure per portal at a time: concurrent jobs of a portal share it. */
  private readonly ensuring = new Map<number, Promise<void>>();
  private readonly taxRates: TaxRateLibrary;

  /** Background jobs retry on their own, so this client retries less than the request-path one. */
  constructor(opts: HubSpotInvoiceMirrorOptions) {
    this.http = new HubSpotHttp({ maxRetries: 2, ...opts });
    this.logger = opts.logger;
    this.taxRates = new TaxRateLibrary(this.http, opts.now);
  }

  /**
   * Creates the app's property group and custom invoice properties where missing (idempotent:
   * "already exists" is success). Remembered per portal once it succeeded; failures are not.
   */
  async ensureMirrorProperties(portalId: number): Promise<void> {
    if (this.propertiesReady.has(portalId)) return;
    let running = this.ensuring.get(portalId);
    if (!running) {
      running = this.createMirrorProperties(portalId)
        .then(() => {
          this.propertiesReady.add(portalId);
        })
        .finally(() => this.ensuring.delete(portalId));
      this.ensuring.set(portalId, running);
    }
    await running;
  }

  /**
   * GET then create: HubSpot documents a 404 for a group it does not have, but not which status a
   * second create of an existing group answers, so the create runs only after that 404.
   */
  private async ensurePropertyGroup(portalId: number): Promise<void> {
    const found = await this.http.request(portalId, { method: 'GET', path: hubspotPaths.properties('invoices', 'groups', MIRROR_PROPERTY_GROUP) });
    if (found.status !== 404) {
      this.logger.debug({ portalId, group: MIRROR_PROPERTY_GROUP }, 'HubSpot invoice property group already exists');
      return;
    }
    try {
      await this.http.request(portalId, {
        method: 'POST',
        path: hubspotPaths.properties('invoices', 'groups'),
        body: { name: MIRROR_PROPERTY_GROUP, label: MIRROR_PROPERTY_GROUP_LABEL, displayOrder: -1 },
      });
    } catch (err) {
      // Another worker created it between our GET and POST.
      if (!isConflict(err)) throw err;
    }
  }

  private async createMirrorProperties(portalId: number): Promise<void> {
    await this.ensurePropertyGroup(portalId);
    const res = await this.http.request(portalId, {
      method: 'POST',
      path: hubspotPaths.properties('invoices', 'batch', 'create'),
      body: { inputs: invoiceMirrorPropertyDefinitions() },
    });
    if (res.status === 404) throw new DomainError('upstream_error', 'HubSpot failed: invoice property batch create answered 404');
    const parsed = parseWire(propertyBatchSchema, res.body ?? {}, 'invoice property batch create');
    const existing = parsed.errors.filter((e) => e.category === 'OBJECT_ALREADY_EXISTS');
    const refused = parsed.errors.filter((e) => e.category !== 'OBJECT_ALREADY_EXISTS');
    if (refused.length > 0) {
      throw new DomainError(
        'upstream_error',
        `HubSpot failed: invoice property batch create refused ${refused.length} of ${MIRROR_CUSTOM_PROPERTIES.length}: ${refused.map((e) => `${e.category ?? 'error'}: ${e.message ?? ''}`).join('; ')}`,
      );
    }
    this.logger.info(
      { portalId, created: parsed.results.map((r) => r.name), alreadyExisting: existing.flatMap((e) => e.context?.name ?? []) },
      'HubSpot invoice properties of the app are in place',
    );
  }

  async findInvoice(portalId: number, invoiceId: string): Promise<string | null> {
    await this.ensureMirrorProperties(portalId);
    const res = await this.http.request(portalId, {
      method: 'POST',
      path: hubspotPaths.objects('invoices', 'search'),
      body: {
        filterGroups: [{ filters: [{ propertyName: MIRROR_PROPERTY.invoiceId, operator: 'EQ', value: invoiceId }] }],
        properties: [MIRROR_PROPERTY.invoiceId, 'hs_invoice_status'],
        limit: 10,
      },
    });
    if (res.status === 404) throw new DomainError('upstream_error', 'HubSpot failed: invoice search answered 404');
    const ids = parseWire(batchReadSchema, res.body, 'invoice search')
      .results.filter((r) => r.archived !== true)
      .map((r) => r.id)
      .sort(compareIds);
    if (ids.length > 1)
      this.logger.warn({ portalId, invoiceId, hubspotInvoiceIds: ids }, 'more than one HubSpot invoice carries this invoice id; using the oldest');
    return ids[0] ?? null;
  }

  async createInvoice(portalId: number, invoice: MirrorInvoice, state: MirrorState): Promise<string> {
    await this.ensureMirrorProperties(portalId);
    const res = await this.http.request(portalId, {
      method: 'POST',
      path: hubspotPaths.objects('invoices'),
      body: { properties: { ...invoiceProperties(invoice), ...stateProperties(state, false) } },
      idempotent: false,
    });
    if (res.status === 404) throw new DomainError('upstream_error', 'HubSpot failed: invoice create answered 404');
    return parseWire(createdSchema, res.body, 'invoice create').id;
  }

  async ensureContact(portalId: number, buyer: MirrorBuyer): Promise<{ id: string; created: boolean }> {
    const found = await this.findContactByEmail(portalId, buyer.email);
    if (found) return { id: found, created: false };
    try {
      const res = await this.http.request(portalId, {
        method: 'POST',
        path: hubspotPaths.objects('contacts'),
        body: { properties: contactProperties(buyer) },
        idempotent: false,
      });
      if (res.status === 404) throw new DomainError('upstream_error', 'HubSpot failed: contact create answered 404');
      const id = parseWire(createdSchema, res.body, 'contact create').id;
      this.logger.info({ portalId, contactId: id }, 'created the billing contact in HubSpot for the invoice mirror');
      return { id, created: true };
    } catch (err) {
      // HubSpot refuses a second contact with the same email (409 "Contact already exists.
      // Existing ID: 123"); the search index may simply not show it yet.
      const existing = isConflict(err) ? existingIdOf(err) : null;
      if (existing) return { id: existing, created: false };
      throw err;
    }
  }

  private async findContactByEmail(portalId: number, email: string): Promise<string | null> {
    const res = await this.http.request(portalId, {
      method: 'POST',
      path: hubspotPaths.objects('contacts', 'search'),
      body: { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] }], properties: ['email'], limit: 10 },
    });
    if (res.status === 404) throw new DomainError('upstream_error', 'HubSpot failed: contact search answered 404');
    const ids = parseWire(batchReadSchema, res.body, 'contact search')
      .results.filter((r) => r.archived !== true)
      .map((r) => r.id)
      .sort(compareIds);
    return ids[0] ?? null;
  }

  async associate(portalId: number, crmInvoiceId: string, associations: MirrorAssociations): Promise<{ missing: string[] }> {
    const targets: Array<[string, string]> = [
      ['contacts', associations.contactId],
      ...associations.companyIds.map((id): [string, string] => ['companies', id]),
      ...associations.dealIds.map((id): [string, string] => ['deals', id]),
      ...associations.quoteIds.map((id): [string, string] => ['quotes', id]),
    ];
    const missing: string[] = [];
    for (const [toType, toId] of targets) {
      const res = await this.http.request(portalId, {
        method: 'PUT',
        path: hubspotPaths.defaultAssociation('invoices', crmInvoiceId, toType, toId),
      });
      if (res.status === 404) missing.push(`${toType}/${toId}`);
    }
    if (missing.length > 0) this.logger.warn({ portalId, crmInvoiceId, missing }, 'HubSpot no longer has some records the invoice is associated with');
    return { missing };
  }

  async listLineItems(portalId: number, crmInvoiceId: string): Promise<Array<{ id: string; position: number | null }>> {
    const ids: string[] = [];
    let after: string | undefined;
    for (let page = 0; ; page += 1) {
      if (page >= MAX_ASSOCIATION_PAGES) throw new DomainError('upstream_error', `HubSpot failed: line items of invoice ${crmInvoiceId} do not end`);
      const res = await this.http.request(portalId, {
        method: 'GET',
        path: hubspotPaths.recordAssociations('invoices', crmInvoiceId, 'line_items'),
        query: `limit=${ASSOCIATION_PAGE_LIMIT}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      });
      if (res.status === 404) return [];
      const parsed = parseWire(v4ListSchema, res.body, 'invoice line item associations');
      ids.push(...parsed.results.map((r) => r.toObjectId));
      after = parsed.paging?.next?.after;
      if (!after) break;
    }
    const found: Array<{ id: string; position: number | null }> = [];
    for (let i = 0; i < ids.length; i += BATCH_SIZE) {
      const res = await this.http.request(portalId, {
        method: 'POST',
        path: hubspotPaths.objects('line_items', 'batch', 'read'),
        body: { inputs: ids.slice(i, i + BATCH_SIZE).map((id) => ({ id })), properties: ['hs_position_on_quote'], propertiesWithHistory: [] },
      });
      if (res.status === 404) throw new DomainError('upstream_error', 'HubSpot failed: line items batch read answered 404');
      for (const r of parseWire(batchReadSchema, res.body, 'line item batch read').results) {
        if (r.archived !== true) found.push({ id: r.id, position: positionOf(r.properties.hs_position_on_quote) });
      }
    }
    return found;
  }

  async createLineItems(portalId: number, crmInvoiceId: string, currency: string, lines: MirrorLine[]): Promise<Array<{ id: string; position: number }>> {
    if (lines.length === 0) return [];
    if (lines.length > BATCH_SIZE) throw new RangeError(`createLineItems takes at most ${BATCH_SIZE} lines`);
    const lineItemToInvoice = await defaultAssociationTypeId(this.http, portalId, 'line_items', 'invoices');
    const groupOf = await this.taxRateGroups(portalId, lines);
    const res = await this.http.request(portalId, {
      method: 'POST',
      path: hubspotPaths.objects('line_items', 'batch', 'create'),
      body: {
        inputs: lines.map((line) => ({
          properties: lineItemProperties(line, currency, groupOf.get(line.position) ?? null),
          associations: [
            {
              to: { id: crmInvoiceId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: lineItemToInvoice }],
            },
          ],
        })),
      },
      idempotent: false,
    });
    if (res.status === 404) throw new DomainError('upstream_error', 'HubSpot failed: line items batch create answered 404');
    // HubSpot does not promise results in input order: match them by the stamped position.
    const created = parseWire(batchReadSchema, res.body, 'line item batch create').results.map((r) => ({
      id: r.id,
      position: positionOf(r.properties.hs_position_on_quote),
    }));
    const wanted = new Set(lines.map((l) => l.position));
    if (created.length !== lines.length || created.some((c) => c.position === null || !wanted.has(c.position))) {
      throw new DomainError(
        'upstream_error',
        `HubSpot failed: line items batch create returned ${created.length} results that do not match the ${lines.length} lines sent`,
      );
    }
    return created as Array<{ id: string; position: number }>;
  }

  /**
   * The tax rate group id per line position, for the lines with a non-zero rate that exactly one
   * active group of the portal has. Never throws: a line without a group is a warning, not a
   * failed mirror (the tax is still in `invoicing_app_tax_total`).
   */
  private async taxRateGroups(portalId: number, lines: readonly MirrorLine[]): Promise<Map<number, string>> {
    const found = new Map<number, string>();
    const taxed = lines.filter((l) => l.taxRate !== null && normalizedRate(l.taxRate) !== null && normalizedRate(l.taxRate) !== '0');
    if (taxed.length === 0) return found;
    const rates = [...new Set(taxed.map((l) => l.taxRate!))];
    let groups;
    try {
      groups = await this.taxRates.groups(portalId);
    } catch (err) {
      this.logger.warn(
        { portalId, taxRates: rates, err: err instanceof Error ? err.message : String(err) },
        `HubSpot tax rate library could not be read; mirrored line items with tax rate ${rates.join(', ')} % carry no tax rate group`,
      );
      return found;
    }
    for (const rate of rates) {
      const match = matchTaxRateGroup(groups, rate);
      const positions = taxed.filter((l) => l.taxRate === rate).map((l) => l.position);
      if (match.status === 'found') {
        for (const p of positions) found.set(p, match.id);
        continue;
      }
      this.logger.warn(
        { portalId, taxRate: rate, positions, ...(match.status === 'several' ? { taxRateGroupIds: match.ids } : {}) },
        match.status === 'several'
          ? `several active HubSpot tax rate groups have the rate ${rate} %; mirrored line items with it carry no tax rate group`
          : `no active HubSpot tax rate group has the rate ${rate} %; mirrored line items with it carry no tax rate group`,
      );
    }
    return found;
  }

  async setState(portalId: number, crmInvoiceId: string, state: MirrorState): Promise<'updated' | 'not_found'> {
    await this.ensureMirrorProperties(portalId);
    const res = await this.http.request(portalId, {
      method: 'PATCH',
      path: hubspotPaths.objects('invoices', crmInvoiceId),
      body: { properties: stateProperties(state, true) },
    });
    return res.status === 404 ? 'not_found' : 'updated';
  }
}

/**
 * HubSpot's 409 Conflict ("already exists"). HubSpotHttp fails every other 4xx with an
 * `upstream_error` whose message carries `status <code>` and no structured status, hence the match.
 */
function isConflict(err: unknown): boolean {
  return err instanceof DomainError && err.code === 'upstream_error' && /: status 409\b/.test(err.message);
}

/** The id in HubSpot's "Contact already exists. Existing ID: 123" conflict message. */
function existingIdOf(err: unknown): string | null {
  const match = err instanceof Error ? /Existing ID: ?([0-9]{1,20})\b/i.exec(err.message) : null;
  return match?.[1] ?? null;
}

function positionOf(value: string | null | undefined): number | null {
  return value !== null && value !== undefined && /^[0-9]{1,9}$/.test(value) ? Number(value) : null;
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
