import type { Deps, HubSpotServices } from '../../app/deps.js';
import { createHubSpotTokenProvider } from '../../app/hubspot-access-token.js';
import { readInstallScopes } from './app-manifest.js';
import { createHubSpotOAuthClient } from './oauth-client.js';

/**
 * Wires the HubSpot OAuth adapter, the install scopes from app.json and the token provider.
 * Call once per process (main.ts, or createApp when Deps has none) and pass the result around.
 */
export function createHubSpotServices(deps: Pick<Deps, 'db' | 'config' | 'clock' | 'logger'>): HubSpotServices {
  const oauth = createHubSpotOAuthClient(deps.config.hubspot);
  return { oauth, installScopes: readInstallScopes(), tokens: createHubSpotTokenProvider({ ...deps, oauth }) };
}
