import type { Deps, HubSpotServices } from '../app/deps.js';
import { createHubSpotTokenProvider } from '../app/hubspot-access-token.js';
import { readInstallScopes } from '../integrations/hubspot/app-manifest.js';
import { createHubSpotOAuthClient } from '../integrations/hubspot/oauth-client.js';
import type { SlidingWindowLimiter } from '../integrations/hubspot/rate-limiter.js';
import { HubSpotUsersAdapter } from '../integrations/hubspot/users-adapter.js';

/**
 * Wires the HubSpot OAuth adapter, the install scopes from app.json, the token provider and the
 * user facts adapter (permissions); pass the process's shared limiter so they use one budget.
 * Call once per process (main.ts; the test and bench helpers) and pass the result around. This
 * module is part of the composition root: it joins an app service (the token provider) with the
 * HubSpot adapters, which neither layer may do itself.
 */
export function createHubSpotServices(deps: Pick<Deps, 'db' | 'config' | 'clock' | 'logger'>, opts: { limiter?: SlidingWindowLimiter } = {}): HubSpotServices {
  const oauth = createHubSpotOAuthClient(deps.config.hubspot);
  const tokens = createHubSpotTokenProvider({ ...deps, oauth });
  const users = new HubSpotUsersAdapter({
    baseUrl: deps.config.hubspot.apiBaseUrl,
    accessToken: (portalId) => tokens.accessTokenFor(portalId),
    logger: deps.logger,
    ...(opts.limiter ? { limiter: opts.limiter } : {}),
  });
  return { oauth, installScopes: readInstallScopes(), tokens, users };
}
