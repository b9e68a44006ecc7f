import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { HubSpotError, missingAuthentication, missingScopes, oauthError, validationError } from './errors.js';
import { param, type SandboxDeps } from './http-helpers.js';
import type { JournalRecord } from './journal-store.js';

const JOURNAL_VERSION = '2026-03';
const SUBSCRIPTION_TYPES = new Set(['OBJECT', 'ASSOCIATION', 'EVENT', 'APP_LIFECYCLE_EVENT', 'LIST_MEMBERSHIP', 'GDPR_PRIVACY_DELETION']);
const ACTIONS = new Set([
  'CREATE',
  'UPDATE',
  'DELETE',
  'MERGE',
  'RESTORE',
  'ASSOCIATION_ADDED',
  'ASSOCIATION_REMOVED',
  'SNAPSHOT',
  'APP_INSTALL',
  'APP_UNINSTALL',
  'ADDED_TO_LIST',
  'REMOVED_FROM_LIST',
  'GDPR_DELETE',
]);

/**
 * HubSpot's webhooks journal as the invoicing service reads it: the client-credentials grant on
 * the token endpoint (mounted before the OAuth routes; other grants pass through), the journal's
 * earliest / latest / next entry (`{url, expiresAt, currentOffset}`, 204 when there is none), the
 * entry files the `url` points to (unauthenticated, like HubSpot's pre-signed file URLs), the
 * journal subscriptions, and a sandbox-only uninstall endpoint that records APP_UNINSTALL.
 */
export function journalRoutes(deps: SandboxDeps): Router {
  const r = express.Router();
  const { store } = deps;
  const journal = store.journal;

  r.post('/oauth/:version/token', express.urlencoded({ extended: false }), (req: Request, res: Response, next: NextFunction) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    if (b.grant_type !== 'client_credentials') return next();
    if (b.client_id !== deps.clientId) throw oauthError('BAD_CLIENT_ID', 'missing or unknown client id');
    if (b.client_secret !== deps.clientSecret) throw oauthError('BAD_CLIENT_ID', 'client_secret does not match client_id');
    const scopes = (b.scope ?? '').split(/[\s+]+/).filter((s) => s.length > 0);
    const issued = journal.issueAppToken(scopes);
    res.status(200).json({ token_type: 'bearer', access_token: issued.accessToken, expires_in: issued.expiresIn, scopes });
  });

  /** Client-credentials bearer token with `scope`, or HubSpot's 401 / 403. */
  const appAuth = (scope: string) => (req: Request, _res: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const scopes = match?.[1] ? journal.appTokenScopes(match[1]) : undefined;
    if (!scopes) throw missingAuthentication();
    if (!scopes.includes(scope)) throw missingScopes([scope]);
    next();
  };

  const present = (entry: JournalRecord) => ({
    url: `${deps.baseUrl()}/sandbox/journal-files/${entry.offset}`,
    expiresAt: new Date(store.now() + 5 * 60_000).toISOString(),
    currentOffset: entry.offset,
  });
  const answer = (res: Response, entry: JournalRecord | null | undefined) => {
    if (entry) res.json(present(entry));
    else res.status(204).end();
  };

  const base = `/webhooks-journal/journal/${JOURNAL_VERSION}`;
  const read = appAuth('developer.webhooks_journal.read');
  r.get(`${base}/earliest`, read, (_req, res) => answer(res, journal.earliest()));
  r.get(`${base}/latest`, read, (_req, res) => answer(res, journal.latest()));
  r.get(`${base}/offset/:offset/next`, read, (req, res) => {
    const entry = journal.after(param(req, 'offset'));
    if (entry === undefined) throw new HubSpotError(404, { status: 'error', message: 'Unknown journal offset', category: 'OBJECT_NOT_FOUND' });
    answer(res, entry);
  });

  r.get('/sandbox/journal-files/:offset', (req, res) => {
    if (journal.takeFileFailure()) {
      res.status(503).type('text/plain').send('Service Unavailable');
      return;
    }
    const entry = journal.byOffset(param(req, 'offset'));
    if (!entry) throw new HubSpotError(404, { status: 'error', message: 'No such journal file', category: 'OBJECT_NOT_FOUND' });
    res.json(entry.event);
  });

  const subs = `/webhooks-journal/subscriptions/${JOURNAL_VERSION}`;
  r.get(subs, appAuth('developer.webhooks_journal.subscriptions.read'), (_req, res) => {
    res.json({ results: journal.subscriptions });
  });
  r.post(subs, appAuth('developer.webhooks_journal.subscriptions.write'), express.json(), (req, res) => {
    const b = (req.body ?? {}) as { subscriptionType?: unknown; actions?: unknown };
    if (typeof b.subscriptionType !== 'string' || !SUBSCRIPTION_TYPES.has(b.subscriptionType)) throw validationError('subscriptionType is missing or unknown');
    const actions = Array.isArray(b.actions) ? b.actions : [];
    if (actions.length === 0 || !actions.every((a): a is string => typeof a === 'string' && ACTIONS.has(a)))
      throw validationError('actions must list known actions');
    res.status(200).json(journal.subscribe(b.subscriptionType, actions));
  });

  // Sandbox only (HubSpot has no such endpoint: a super admin uninstalls in HubSpot's UI).
  r.post('/sandbox/portals/:hubId/uninstall', (req, res) => {
    const hubId = Number(param(req, 'hubId'));
    if (!store.hubIds().includes(hubId))
      throw new HubSpotError(404, { status: 'error', message: `No portal ${param(req, 'hubId')}`, category: 'OBJECT_NOT_FOUND' });
    store.uninstallApp(hubId);
    res.status(204).end();
  });

  return r;
}
