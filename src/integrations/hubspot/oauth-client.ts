import { Client } from '@hubspot/api-client';
import { z } from 'zod';
import { HubSpotGrantRefused, type HubSpotOAuthPort, type HubSpotTokenInfo, type HubSpotTokens } from '../../app/ports/hubspot-oauth.js';
import type { HubSpotConfig } from '../../config.js';
import { DomainError } from '../../domain/errors.js';
import { hubspotPaths } from './api-version.js';

/** How long one OAuth call may take; a refresh runs under a row lock, so it must not hang. */
const CALL_TIMEOUT_MS = 10_000;

/** HubSpot's own names for a refused grant, next to the RFC 6749 `invalid_grant` it also sends. */
const REFUSED_GRANT_STATUSES = new Set(['BAD_REFRESH_TOKEN', 'BAD_AUTH_CODE', 'EXPIRED_AUTH_CODE']);

/** POST /oauth/{v}/token answers in RFC 6749's snake_case (`TokenResponseIF` in HubSpot's spec). */
const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive(),
});

/**
 * POST /oauth/{v}/token/introspect: RFC 7662 `active`, plus HubSpot's token metadata. HubSpot
 * documents only `active` in the response example, so the metadata is read leniently under the
 * names the v1 metadata endpoint used (`hub_id`, `user_id`, `scopes`, `hub_domain`), with RFC
 * 7662's space-separated `scope` as a fallback; a response without a hub id is refused (the
 * install then fails with a clear error instead of binding the wrong portal).
 */
const introspectResponse = z.object({
  active: z.boolean(),
  hub_id: z
    .union([
      z.number().int().positive(),
      z
        .string()
        .regex(/^[0-9]{1,15}$/)
        .transform(Number),
    ])
    .optional(),
  user_id: z.union([z.number().int(), z.string().min(1)]).nullish(),
  scopes: z.array(z.string()).optional(),
  scope: z.string().optional(),
  hub_domain: z.string().nullish(),
});

/**
 * The HubSpot OAuth adapter over HubSpot's date-versioned OAuth API (api-version.ts):
 * `POST /oauth/{v}/token` for codes and refreshes, `POST /oauth/{v}/token/introspect` for whose
 * portal and user a token acts for. Every credential and token travels in the form body, never in
 * a path or query (HubSpot's reason for retiring `/oauth/v1`). Requests go through
 * `@hubspot/api-client`'s generic `apiRequest` (its transport, pointed at `config.apiBaseUrl` for
 * tests, the sandbox and proxies): the SDK's generated OAuth APIs (13.x) only know the v1 paths.
 */
export function createHubSpotOAuthClient(config: HubSpotConfig): HubSpotOAuthPort {
  const client = new Client({ basePath: config.apiBaseUrl });

  async function postForm(path: string, form: Record<string, string>): Promise<unknown> {
    return call(async () => {
      const res = await client.apiRequest({
        method: 'POST',
        path,
        body: new URLSearchParams(form).toString(),
        defaultJson: false,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      });
      const body = parseJson(await res.text());
      if (!res.ok) throw Object.assign(new Error('HubSpot OAuth request failed'), { code: res.status, body });
      return body;
    });
  }

  async function grant(kind: 'authorization_code' | 'refresh_token', value: string): Promise<HubSpotTokens> {
    const form: Record<string, string> =
      kind === 'authorization_code'
        ? { grant_type: kind, code: value, redirect_uri: config.redirectUrl, client_id: config.clientId, client_secret: config.clientSecret }
        : { grant_type: kind, refresh_token: value, client_id: config.clientId, client_secret: config.clientSecret };
    const parsed = tokenResponse.safeParse(await postForm(hubspotPaths.oauthToken(), form));
    if (!parsed.success) throw upstream('HubSpot answered the token request with an unexpected body');
    // HubSpot keeps the refresh token across refreshes; should it ever rotate it, take the new one.
    const refreshToken = parsed.data.refresh_token ?? (kind === 'refresh_token' ? value : undefined);
    if (!refreshToken) throw upstream('HubSpot answered the token request without a refresh token');
    return { accessToken: parsed.data.access_token, refreshToken, expiresInSeconds: parsed.data.expires_in };
  }

  return {
    exchangeCode: (code) => grant('authorization_code', code),
    refresh: (refreshToken) => grant('refresh_token', refreshToken),
    async tokenInfo(accessToken): Promise<HubSpotTokenInfo> {
      const body = await postForm(hubspotPaths.oauthIntrospect(), {
        token: accessToken,
        token_type_hint: 'access_token',
        client_id: config.clientId,
        client_secret: config.clientSecret,
      });
      const parsed = introspectResponse.safeParse(body);
      if (!parsed.success) throw upstream('HubSpot answered the token introspection with an unexpected body');
      const { active, hub_id: hubId, user_id: userId, scopes, scope, hub_domain: hubDomain } = parsed.data;
      if (!active) throw upstream('HubSpot says the access token is not active');
      if (hubId === undefined) throw upstream('HubSpot answered the token introspection without a hub id');
      return {
        hubId,
        userId: userId === null || userId === undefined ? null : String(userId),
        scopes: scopes ?? (scope ? scope.split(' ').filter((x) => x !== '') : []),
        hubDomain: hubDomain ?? null,
      };
    },
  };
}

/** HubSpot's JSON body, or null for an empty or non-JSON one (a proxy's HTML error page). */
function parseJson(text: string): unknown {
  try {
    return text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(upstream('HubSpot did not answer the OAuth request in time')), CALL_TIMEOUT_MS);
  });
  try {
    return await Promise.race([run(), timeout]);
  } catch (err) {
    throw translate(err);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Vendor errors become domain errors here. The original error is deliberately not chained: a
 * network error's message carries the request URL, and the token-info URL contains the token.
 */
function translate(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  const e = err as { code?: unknown; body?: unknown };
  if (typeof e.code !== 'number') return upstream('HubSpot could not be reached');
  const body = (typeof e.body === 'object' && e.body !== null ? e.body : {}) as { status?: unknown; error?: unknown };
  const status = typeof body.status === 'string' ? body.status : null;
  const error = typeof body.error === 'string' ? body.error : null;
  if (e.code === 400 && (error === 'invalid_grant' || (status !== null && REFUSED_GRANT_STATUSES.has(status)))) {
    return new HubSpotGrantRefused(status ?? 'invalid_grant');
  }
  // Anything else (5xx, 429, a refused client id or secret) is HubSpot's side or ours to fix, not
  // the portal's: it must not push the portal into needs_reauth.
  return upstream(`HubSpot refused or failed the OAuth request (HTTP ${e.code}${status ? `, ${status}` : ''})`);
}

function upstream(message: string): DomainError {
  return new DomainError('upstream_error', message);
}
