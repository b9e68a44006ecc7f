/**
 * HubSpot's webhooks journal (date-versioned 2026-03 endpoints) for the app lifecycle events:
 * the app's client-credentials token, the journal's earliest / next entry, and the file each
 * entry points to. App-level, not per portal, so it does not go through HubSpotHttp (per-portal
 * tokens and budget): one request per call, a timeout, no retries (the poll job runs again soon
 * and starts from the stored offset). See docs/hubspot.md "Webhooks and the app lifecycle" for
 * the sources and for what could not be verified without a live app.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AppLifecycleEvent, HubSpotJournalPort, JournalEntry } from '../../app/ports/hubspot-journal.js';
import { hubspotPaths } from './api-version.js';

/**
 * Where the client-credentials token comes from: the date-versioned token endpoint. HubSpot's
 * journal guide still names `/oauth/v1/token`, which stops working on 16 Feb 2027; the 2026-03
 * token endpoint's reference lists the `scope` parameter this grant sends. If HubSpot refused the
 * grant there, every poll would log the refusal and uninstalls would still be caught by the
 * refused-refresh fallback (docs/hubspot.md, "Webhooks and the app lifecycle").
 */
export const CLIENT_CREDENTIALS_TOKEN_PATH = hubspotPaths.oauthToken();
/** Scopes the app's client-credentials token is asked for (HubSpot's journal guide). */
export const JOURNAL_SCOPES = [
  'developer.webhooks_journal.read',
  'developer.webhooks_journal.subscriptions.read',
  'developer.webhooks_journal.subscriptions.write',
] as const;

/** A journal call that failed; the message names the step and HubSpot's status, never a secret. */
export class HubSpotJournalError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HubSpotJournalError';
  }
}

export interface JournalAdapterOptions {
  /** HubSpot API origin (config.hubspot.apiBaseUrl: the local sandbox in development). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  logger: Logger;
  /** Per request. Default 10 000 ms. */
  timeoutMs?: number;
  /** Current time in ms (token expiry). */
  now?: () => number;
}

const tokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });
/** HubSpot's JournalFetchResponse: where the entry's file is, and the entry's offset. */
const fetchResponse = z.object({ url: z.string().url(), currentOffset: z.string().min(1).max(200), expiresAt: z.string().optional() });
const subscriptions = z.object({ results: z.array(z.object({ subscriptionType: z.string(), actions: z.array(z.string()).optional() }).passthrough()) });

/** HubSpot's webhooks journal through plain fetch. */
export class HubSpotJournalAdapter implements HubSpotJournalPort {
  private token: { value: string; expiresAt: number } | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: JournalAdapterOptions) {
    this.now = opts.now ?? Date.now;
  }

  async next(offset: string | null): Promise<JournalEntry | null | 'unknown_offset'> {
    const path = offset === null ? hubspotPaths.journalEarliest() : hubspotPaths.journalNext(offset);
    const res = await this.api('GET', path);
    // 204: nothing (yet) after the offset. 404: HubSpot does not know the offset (the journal
    // keeps three days); for the earliest entry, an empty journal. Neither is documented
    // explicitly: see docs/hubspot.md for what happens if HubSpot answers otherwise.
    if (res.status === 204) return null;
    if (res.status === 404) return offset === null ? null : 'unknown_offset';
    const parsed = fetchResponse.safeParse(await this.json(res, 'journal entry'));
    if (!parsed.success) throw new HubSpotJournalError('hubspot journal: the entry response has no url or currentOffset');
    const file = await this.fetchWithTimeout(parsed.data.url, { method: 'GET' });
    if (!file.ok) throw new HubSpotJournalError(`hubspot journal: fetching the entry's file failed with HTTP ${file.status}`, file.status);
    return { offset: parsed.data.currentOffset, ...readJournalFile(await this.json(file, 'journal file')) };
  }

  async ensureLifecycleSubscription(): Promise<'created' | 'exists'> {
    const path = hubspotPaths.journalSubscriptions();
    const list = subscriptions.safeParse(await this.json(await this.ok(await this.api('GET', path), 'listing subscriptions'), 'subscriptions'));
    if (!list.success) throw new HubSpotJournalError('hubspot journal: the subscription list has no results');
    if (list.data.results.some((s) => s.subscriptionType === 'APP_LIFECYCLE_EVENT' && (s.actions ?? []).includes('APP_UNINSTALL'))) return 'exists';
    await this.ok(
      await this.api('POST', path, { subscriptionType: 'APP_LIFECYCLE_EVENT', actions: ['APP_INSTALL', 'APP_UNINSTALL'] }),
      'creating the lifecycle subscription',
    );
    return 'created';
  }

  private async api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    const token = await this.accessToken();
    const res = await this.fetchWithTimeout(`${this.opts.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // A token HubSpot no longer takes is dropped, so the next call asks for a new one.
    if (res.status === 401) this.token = null;
    if (res.status >= 400 && res.status !== 404)
      throw new HubSpotJournalError(`hubspot journal: ${method} ${path.split('/offset/')[0]} failed with HTTP ${res.status}`, res.status);
    return res;
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return this.token.value;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.opts.clientId,
      client_secret: this.opts.clientSecret,
      scope: JOURNAL_SCOPES.join(' '),
    });
    const res = await this.fetchWithTimeout(`${this.opts.baseUrl}${CLIENT_CREDENTIALS_TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
    });
    if (!res.ok) throw new HubSpotJournalError(`hubspot journal: the client-credentials token was refused with HTTP ${res.status}`, res.status);
    const parsed = tokenResponse.safeParse(await this.json(res, 'token'));
    if (!parsed.success) throw new HubSpotJournalError('hubspot journal: the token response has no access_token');
    // A minute early, so a token never expires between this check and HubSpot's.
    this.token = { value: parsed.data.access_token, expiresAt: this.now() + Math.max(0, parsed.data.expires_in - 60) * 1000 };
    return this.token.value;
  }

  private async ok(res: Response, what: string): Promise<Response> {
    if (!res.ok) throw new HubSpotJournalError(`hubspot journal: ${what} failed with HTTP ${res.status}`, res.status);
    return res;
  }

  private async json(res: Response, what: string): Promise<unknown> {
    try {
      return await res.json();
    } catch {
      throw new HubSpotJournalError(`hubspot journal: the ${what} response is not JSON`);
    }
  }

  private async fetchWithTimeout(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
    } catch (err) {
      throw new HubSpotJournalError(`hubspot journal: request failed (${err instanceof Error ? err.name : 'error'})`);
    }
  }
}

const LIFECYCLE_ACTIONS: ReadonlySet<string> = new Set(['APP_INSTALL', 'APP_UNINSTALL']);
const ACTION_FIELDS = ['action', 'actionType', 'eventType', 'changeType'] as const;

/**
 * The lifecycle events of a journal file. HubSpot documents the entry's `url` but not the file's
 * layout, so this reads the shapes a file plausibly has: an array of events, an object holding
 * one (`events`, `results`, `entries`), or one event; an event names its action in one of
 * ACTION_FIELDS and its portal in `portalId` (or `installPortalId`). Anything else is counted as
 * "other" and never applied: an unreadable uninstall is missed (the refused-refresh fallback
 * still marks the portal), never invented.
 */
export function readJournalFile(body: unknown): Omit<JournalEntry, 'offset'> {
  const items = eventsOf(body);
  const lifecycleEvents: AppLifecycleEvent[] = [];
  for (const item of items) {
    const event = lifecycleEventOf(item);
    if (event) lifecycleEvents.push(event);
  }
  return { lifecycleEvents, otherEvents: items.length - lifecycleEvents.length };
}

function eventsOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') {
    for (const key of ['events', 'results', 'entries']) {
      const inner = (body as Record<string, unknown>)[key];
      if (Array.isArray(inner)) return inner;
    }
    return [body];
  }
  return [];
}

function lifecycleEventOf(item: unknown): AppLifecycleEvent | null {
  if (!item || typeof item !== 'object') return null;
  const e = item as Record<string, unknown>;
  const action = ACTION_FIELDS.map((f) => e[f]).find((v): v is string => typeof v === 'string' && LIFECYCLE_ACTIONS.has(v));
  const portalId = Number(e.portalId ?? e.installPortalId);
  if (!action || !Number.isSafeInteger(portalId) || portalId <= 0) return null;
  return { action: action as AppLifecycleEvent['action'], portalId, occurredAt: instant(e.occurredAt ?? e.timestamp) };
}

function instant(v: unknown): Date | null {
  const d = typeof v === 'number' ? new Date(v) : typeof v === 'string' ? new Date(/^\d+$/.test(v) ? Number(v) : v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}
