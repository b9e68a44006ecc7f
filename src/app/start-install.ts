import { insertOAuthState } from '../db/hubspot-install-repo.js';
import type { Deps } from './deps.js';
import type { InstallScopes } from './ports/hubspot-oauth.js';
import { issueOAuthState } from './oauth-state.js';

/**
 * Starts an install: records a single-use state and returns HubSpot's authorize URL for it, with
 * the app's required scopes (and optional ones, when app.json declares any), space-separated.
 */
export async function startInstall(deps: Pick<Deps, 'db' | 'config' | 'clock'>, scopes: InstallScopes): Promise<string> {
  const { hubspot, apiTokenSecret } = deps.config;
  const state = issueOAuthState(apiTokenSecret, deps.clock());
  await insertOAuthState(deps.db, state.id, state.expiresAt);
  const params: [string, string][] = [
    ['client_id', hubspot.clientId],
    ['redirect_uri', hubspot.redirectUrl],
    ['scope', scopes.required.join(' ')],
  ];
  if (scopes.optional.length > 0) params.push(['optional_scope', scopes.optional.join(' ')]);
  params.push(['state', state.value]);
  // encodeURIComponent (spaces as %20, as in HubSpot's own example) rather than URLSearchParams' `+`.
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${hubspot.authorizeUrl}${hubspot.authorizeUrl.includes('?') ? '&' : '?'}${query}`;
}
