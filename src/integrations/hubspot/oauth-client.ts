import { Client } from '@hubspot/api-client';
import { z } from 'zod';
import { HubSpotGrantRefused, type HubSpotOAuthPort, type HubSpotTokenInfo, type HubSpotTokens } from '../../app/ports/hubspot-oauth.js';
import type { HubSpotConfig } from '../../config.js';
import { DomainError } from '../../domain/errors.js';

/** How long one OAuth call may take; a refresh runs under a row lock, so it must not hang. */
const CALL_TIMEOUT_MS = 10_000;

/** HubSpot's own names for a refused grant (v1), next to the RFC 6749 `invalid_grant`. */
const REFUSED_GRANT_STATUSES = new Set(['BAD_REFRESH_TOKEN', 'BAD_AUTH_CODE', 'EXPIRED_AUTH_CODE']);

const tokenResponse = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  expiresIn: z.number().int().positive(),
});

const tokenInfoResponse = z.object({
  hubId: z.number().int().positive(),
  userId: z.union([z.number().int(), z.string().min(1)]).nullish(),
  scopes: z.array(z.string()).default([]),
  hubDomain: z.string().nullish(),
});

/**
 * The HubSpot OAuth adapter: `@hubspot/api-client`'s oauth APIs, pointed at
 * `config.apiBaseUrl` (tests, the sandbox and proxies redirect it). Uses the v1 token endpoints,
 * which are the ones SDK 13 has.
 */
export function createHubSpotOAuthClient(config: HubSpotConfig): HubSpotOAuthPort {
  const client = new Client({ basePath: config.apiBaseUrl });

  async function grant(kind: 'authorization_code' | 'refresh_token', value: string): Promise<HubSpotTokens> {
    const response = await call(() =>
      kind === 'authorization_code'
        ? client.oauth.tokensApi.create(kind, value, config.redirectUrl, config.clientId, config.clientSecret)
        : client.oauth.tokensApi.create(kind, undefined, undefined, config.clientId, config.clientSecret, value),
    );
    const parsed = tokenResponse.safeParse({ ...response });
    if (!parsed.success) throw upstream('HubSpot answered the token request with an unexpected body');
    // HubSpot keeps the refresh token across refreshes; should it ever rotate it, take the new one.
    const refreshToken = parsed.data.refreshToken ?? (kind === 'refresh_token' ? value : undefined);
    if (!refreshToken) throw upstream('HubSpot answered the token request without a refresh token');
    return { accessToken: parsed.data.accessToken, refreshToken, expiresInSeconds: parsed.data.expiresIn };
  }

  return {
    exchangeCode: (code) => grant('authorization_code', code),
    refresh: (refreshToken) => grant('refresh_token', refreshToken),
    async tokenInfo(accessToken): Promise<HubSpotTokenInfo> {
      const response = await call(() => client.oauth.accessTokensApi.get(accessToken));
      const parsed = tokenInfoResponse.safeParse({ ...response });
      if (!parsed.success) throw upstream('HubSpot answered the token-info request with an unexpected body');
      const { hubId, userId, scopes, hubDomain } = parsed.data;
      return { hubId, userId: userId === null || userId === undefined ? null : String(userId), scopes, hubDomain: hubDomain ?? null };
    },
  };
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
