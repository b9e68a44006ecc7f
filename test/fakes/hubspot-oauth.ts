/**
 * HubSpot's OAuth endpoints faked at the HTTP boundary with nock, one intent-named helper per
 * situation, on the date-versioned OAuth API (`/oauth/2026-03/token` and `/token/introspect`, form
 * bodies). Bodies are snake_case; refused grants carry both the RFC 6749 `error` and HubSpot's own
 * `status`. Nock matches only these paths, so a call to a legacy `/oauth/v1` path fails the test.
 */
import nock from 'nock';

/** Where the OAuth tests point HubSpot (HUBSPOT_API_BASE_URL). */
export const HUBSPOT_TEST_API = 'https://api.hubspot.test';

/** Live-mode HubSpot settings for testApp's `env`. */
export const HUBSPOT_LIVE_ENV = {
  HUBSPOT_CLIENT_ID: 'test-client-id',
  HUBSPOT_CLIENT_SECRET: 'test-client-secret',
  HUBSPOT_API_BASE_URL: HUBSPOT_TEST_API,
} as const;

/** The redirect URL testApp's config derives from PUBLIC_BASE_URL. */
export const TEST_REDIRECT_URL = 'https://invoices.test/oauth/callback';

export interface TokenInfoSpec {
  hubId: number;
  userId?: number;
  scopes?: string[];
  hubDomain?: string;
}

const tokenBody = (accessToken: string, refreshToken: string, expiresIn: number) => ({
  access_token: accessToken,
  refresh_token: refreshToken,
  expires_in: expiresIn,
  token_type: 'bearer',
});

/** HubSpot's OAuth API as the tests need it. Every helper expects exactly one call. */
export const hubspotOAuth = {
  /** HubSpot trades `code` for this token pair, checking the app's credentials and redirect URL. */
  grantsCode(code: string, tokens: { accessToken: string; refreshToken: string; expiresIn?: number }) {
    return nock(HUBSPOT_TEST_API)
      .post('/oauth/2026-03/token', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: TEST_REDIRECT_URL,
        client_id: HUBSPOT_LIVE_ENV.HUBSPOT_CLIENT_ID,
        client_secret: HUBSPOT_LIVE_ENV.HUBSPOT_CLIENT_SECRET,
      })
      .reply(200, tokenBody(tokens.accessToken, tokens.refreshToken, tokens.expiresIn ?? 1800));
  },

  /** HubSpot no longer accepts `code` (expired or used). */
  refusesCode(code: string) {
    return nock(HUBSPOT_TEST_API)
      .post('/oauth/2026-03/token', (body: Record<string, string>) => body.grant_type === 'authorization_code' && body.code === code)
      .reply(400, { error: 'invalid_grant', error_description: 'auth code not found', status: 'BAD_AUTH_CODE', message: 'auth code not found' });
  },

  /** HubSpot says whose account and user `accessToken` acts for. */
  describesToken(accessToken: string, info: TokenInfoSpec) {
    return nock(HUBSPOT_TEST_API)
      .post('/oauth/2026-03/token/introspect', {
        token: accessToken,
        token_type_hint: 'access_token',
        client_id: HUBSPOT_LIVE_ENV.HUBSPOT_CLIENT_ID,
        client_secret: HUBSPOT_LIVE_ENV.HUBSPOT_CLIENT_SECRET,
      })
      .reply(200, {
        active: true,
        user: 'installer@example.com',
        hub_domain: info.hubDomain ?? `portal-${info.hubId}.example.com`,
        scopes: info.scopes ?? ['oauth', 'crm.objects.deals.read'],
        hub_id: info.hubId,
        app_id: 424242,
        expires_in: 1799,
        user_id: info.userId ?? 7001,
        token_type: 'access',
      });
  },

  /** HubSpot refreshes `refreshToken` into `accessToken`, answering after `delayMs`. */
  refreshes(refreshToken: string, next: { accessToken: string; expiresIn?: number }, opts: { delayMs?: number } = {}) {
    return nock(HUBSPOT_TEST_API)
      .post('/oauth/2026-03/token', {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: HUBSPOT_LIVE_ENV.HUBSPOT_CLIENT_ID,
        client_secret: HUBSPOT_LIVE_ENV.HUBSPOT_CLIENT_SECRET,
      })
      .delay(opts.delayMs ?? 0)
      .reply(200, tokenBody(next.accessToken, refreshToken, next.expiresIn ?? 1800));
  },

  /** HubSpot refuses `refreshToken` (the app was uninstalled or access revoked). */
  refusesRefresh(refreshToken: string) {
    return nock(HUBSPOT_TEST_API)
      .post('/oauth/2026-03/token', (body: Record<string, string>) => body.grant_type === 'refresh_token' && body.refresh_token === refreshToken)
      .reply(400, {
        error: 'invalid_grant',
        error_description: 'refresh token is invalid, expired or revoked',
        status: 'BAD_REFRESH_TOKEN',
        message: 'refresh token is invalid, expired or revoked',
      });
  },

  /** HubSpot's token endpoint is down. */
  failsToRefresh(status = 503) {
    return nock(HUBSPOT_TEST_API)
      .post('/oauth/2026-03/token')
      .reply(status, { status: 'error', message: 'Service unavailable', correlationId: 'c0ffee00-0000-4000-8000-000000000000' });
  },
};
