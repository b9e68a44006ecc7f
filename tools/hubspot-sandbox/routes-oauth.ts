import express, { type Router } from 'express';
import { SANDBOX_APP_ID } from './auth-store.js';
import { oauthError } from './errors.js';
import type { SandboxDeps } from './http-helpers.js';
import { SANDBOX_HUB_ID } from './seed.js';

/** The portal domain token metadata reports for a hub. */
export function hubDomain(hubId: number): string {
  return `portal-${hubId}.hubspot-sandbox.example`;
}

function scopesOf(value: unknown): string[] {
  return typeof value === 'string' ? value.split(/[\s+]+/).filter((s) => s.length > 0) : [];
}

/**
 * OAuth 2.0 as HubSpot's date-versioned endpoints speak it (`/oauth/2026-03/token`,
 * `/token/introspect`, `/token/revoke`, form bodies only; the v1 endpoints are gone here so nothing
 * uses them by accident): the authorize page consents at once and redirects with a single-use code.
 */
export function oauthRoutes(deps: SandboxDeps): Router {
  const r = express.Router();
  const { store } = deps;

  r.get('/oauth/authorize', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.client_id !== deps.clientId) throw oauthError('BAD_CLIENT_ID', 'missing or unknown client id');
    let redirect: URL;
    try {
      redirect = new URL(q.redirect_uri ?? '');
    } catch {
      throw oauthError('BAD_REDIRECT_URI', 'missing or invalid redirect_uri');
    }
    const hubId = q.hub_id === undefined ? SANDBOX_HUB_ID : Number(q.hub_id);
    if (!Number.isSafeInteger(hubId) || hubId <= 0) throw oauthError('BAD_HUB_ID', 'hub_id must be a positive integer');
    const scopes = [...new Set([...scopesOf(q.scope), ...scopesOf(q.optional_scope)])];
    const code = store.auth.createAuthCode({ hubId, clientId: deps.clientId, redirectUri: q.redirect_uri!, scopes });
    redirect.searchParams.set('code', code);
    if (q.state !== undefined) redirect.searchParams.set('state', q.state);
    res.redirect(302, redirect.toString());
  });

  r.post('/oauth/2026-03/token', express.urlencoded({ extended: false }), (req, res) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    if (b.grant_type !== 'authorization_code' && b.grant_type !== 'refresh_token') {
      throw oauthError('BAD_GRANT_TYPE', 'grant_type must be authorization_code or refresh_token');
    }
    if (b.client_id !== deps.clientId) throw oauthError('BAD_CLIENT_ID', 'missing or unknown client id');
    if (b.client_secret !== deps.clientSecret) throw oauthError('BAD_CLIENT_ID', 'client_secret does not match client_id');

    let issued;
    if (b.grant_type === 'authorization_code') {
      const code = b.code ? store.auth.redeemAuthCode(b.code) : undefined;
      if (!code) throw oauthError('BAD_AUTH_CODE', 'missing or unknown auth code');
      if (b.redirect_uri !== code.redirectUri) throw oauthError('BAD_REDIRECT_URI', 'redirect_uri does not match initial auth code URL');
      issued = { hubId: code.hubId, scopes: code.scopes, tokens: store.issueTokens(code.hubId, code.scopes) };
    } else {
      const rt = b.refresh_token ? store.auth.refreshTokenRecord(b.refresh_token) : undefined;
      if (!rt) throw oauthError('BAD_REFRESH_TOKEN', 'missing or invalid refresh token');
      // HubSpot keeps the refresh token; only the access token is new.
      issued = { hubId: rt.hubId, scopes: rt.scopes, tokens: store.auth.issue(rt.hubId, rt.scopes, rt.token) };
    }
    res.status(200).json({
      token_type: 'bearer',
      refresh_token: issued.tokens.refreshToken,
      access_token: issued.tokens.accessToken,
      expires_in: issued.tokens.expiresIn,
      hub_id: issued.hubId,
      scopes: issued.scopes,
    });
  });

  /** The client must authenticate; an unknown or expired token is `{active: false}` (RFC 7662). */
  r.post('/oauth/2026-03/token/introspect', express.urlencoded({ extended: false }), (req, res) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    if (b.client_id !== deps.clientId || b.client_secret !== deps.clientSecret) throw oauthError('BAD_CLIENT_ID', 'client authentication failed', 401);
    const t = b.token ? store.auth.accessToken(b.token) : undefined;
    const now = store.now();
    if (!t || t.expiresAt <= now) {
      res.json({ active: false });
      return;
    }
    res.json({
      active: true,
      client_id: deps.clientId,
      token_type: 'access_token',
      scope: t.scopes.join(' '),
      scopes: t.scopes,
      exp: Math.floor(t.expiresAt / 1000),
      hub_id: t.hubId,
      hub_domain: hubDomain(t.hubId),
      user_id: t.userId,
      user: t.userEmail,
      app_id: SANDBOX_APP_ID,
    });
  });

  r.post('/oauth/2026-03/token/revoke', express.urlencoded({ extended: false }), (req, res) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    if (b.client_id !== deps.clientId || b.client_secret !== deps.clientSecret) throw oauthError('BAD_CLIENT_ID', 'client authentication failed', 401);
    if (b.token) store.auth.revokeRefreshToken(b.token);
    res.status(200).end();
  });

  return r;
}
