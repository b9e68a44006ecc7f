import express, { type Router } from 'express';
import { HubSpotError, missingScopes } from './errors.js';
import { crm, param } from './http-helpers.js';

/** One entry of a portal's tax rate library, as HubSpot's tax rates API returns it. */
export interface SandboxTaxRate {
  id: string;
  name: string;
  label: string;
  /** Percent, a JSON number as HubSpot sends it (8.25 means 8.25 %). */
  percentageRate: number;
  active: boolean;
}

/** Tax rate groups per hub. */
export class SandboxTaxRates {
  private readonly byHub = new Map<number, Map<string, SandboxTaxRate>>();

  add(hubId: number, rate: SandboxTaxRate): void {
    let rates = this.byHub.get(hubId);
    if (!rates) this.byHub.set(hubId, (rates = new Map()));
    rates.set(rate.id, rate);
  }

  /** Removes a group (a test deletes one that line items still point at). */
  remove(hubId: number, id: string): void {
    this.byHub.get(hubId)?.delete(id);
  }

  get(hubId: number, id: string): SandboxTaxRate | undefined {
    return this.byHub.get(hubId)?.get(id);
  }

  list(hubId: number): SandboxTaxRate[] {
    return [...(this.byHub.get(hubId)?.values() ?? [])];
  }
}

/**
 * The scopes HubSpot's 2026-03 tax rates spec accepts (any one of them):
 * https://developers.hubspot.com/docs/api-reference/2026-03/account/settings/tax-rates/get-tax-rate
 */
const TAX_RATE_SCOPES = ['tax_rates.read', 'crm.objects.quotes.read', 'crm.objects.quotes.write', 'cpq.quotes.read', 'cpq.quotes.write'];

const CREATED = '2025-01-06T09:00:00.000Z';
/** Page size of the list (and its cap); HubSpot's own default is not documented. */
const DEFAULT_PAGE_SIZE = 100;
const present = (r: SandboxTaxRate) => ({ ...r, createdAt: CREATED, updatedAt: CREATED });

/** Tax rates API 2026-03: `GET /tax-rates/2026-03/tax-rates` (paged) and `/tax-rates/2026-03/tax-rates/{taxRateGroupId}`. */
export function taxRateRoutes(rates: SandboxTaxRates): Router {
  const r = express.Router();
  const allowed = (scopes: readonly string[]) => {
    if (!TAX_RATE_SCOPES.some((s) => scopes.includes(s))) throw missingScopes(['tax_rates.read']);
  };
  r.get('/tax-rates/2026-03/tax-rates', (req, res) => {
    allowed(crm(res).scopes);
    const all = rates.list(crm(res).hubId).filter((x) => req.query.active === undefined || String(x.active) === String(req.query.active));
    // Paged like HubSpot's list (`limit`, `after`, `paging.next.after`); the cursor here is an offset.
    const limit = Math.min(Math.max(Number(req.query.limit) || DEFAULT_PAGE_SIZE, 1), DEFAULT_PAGE_SIZE);
    const start = typeof req.query.after === 'string' && /^[0-9]+$/.test(req.query.after) ? Number(req.query.after) : 0;
    const page = all.slice(start, start + limit);
    const next = start + limit < all.length ? String(start + limit) : undefined;
    res.json({ results: page.map(present), ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}) });
  });
  r.get('/tax-rates/2026-03/tax-rates/:taxRateGroupId', (req, res) => {
    allowed(crm(res).scopes);
    const id = param(req, 'taxRateGroupId');
    const rate = rates.get(crm(res).hubId, id);
    if (!rate) throw new HubSpotError(404, { status: 'error', message: `Tax rate group ${id} not found`, category: 'OBJECT_NOT_FOUND' });
    res.json(present(rate));
  });
  return r;
}
