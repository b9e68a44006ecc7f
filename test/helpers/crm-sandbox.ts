import type { Knex } from 'knex';
import { pino } from 'pino';
import type { HubSpotTokenProvider } from '../../src/app/ports/hubspot-tokens.js';
import { HubSpotCrmAdapter } from '../../src/integrations/hubspot/crm-adapter.js';
import { HubSpotTaxRatesAdapter } from '../../src/integrations/hubspot/tax-rates-adapter.js';
import { defaultSeed, startCrmSandbox, type CrmSandbox } from '../../tools/hubspot-sandbox/index.js';
import { createHubSpotServices } from '../../src/composition/hubspot-services.js';
import { newPortalId, testApp } from './app.js';
import { installedPortal } from './hubspot-install.js';

/**
 * The service wired to the local HubSpot emulator through the real adapter and token provider,
 * with `portalCount` fresh portals, each seeded with the sandbox's sample CRM data and installed.
 * Tests take a portal each with `nextPortal()`, so they never share CRM or ledger rows.
 */
export async function appOnSandbox(db: Knex, opts: { portalCount: number; latencyMs?: number; clock?: () => Date }) {
  const portals = Array.from({ length: opts.portalCount }, () => newPortalId());
  const sandbox: CrmSandbox = await startCrmSandbox({
    port: 0,
    clientId: 'sandbox-client',
    clientSecret: 'sandbox-client-secret',
    latencyMs: opts.latencyMs,
    seed: portals.map((hubId) => ({ ...defaultSeed(), hubId })),
  });
  let tokens: HubSpotTokenProvider | null = null;
  const http = { baseUrl: sandbox.url, accessToken: (portalId: number) => tokens!.accessTokenFor(portalId), logger: pino({ level: 'silent' }) };
  const crm = new HubSpotCrmAdapter(http);
  const taxRates = new HubSpotTaxRatesAdapter(http);
  const t = testApp(db, { crm, taxRates, env: { HUBSPOT_API_BASE_URL: sandbox.url }, ...(opts.clock ? { clock: opts.clock } : {}) });
  tokens = createHubSpotServices(t.deps).tokens;
  for (const portalId of portals) await installedPortal(t.deps, portalId, sandbox.store.issueTokens(portalId));
  let next = 0;
  return {
    ...t,
    sandbox,
    /** A seeded, installed portal no other test uses. */
    nextPortal(): number {
      const portal = portals[next++];
      if (portal === undefined) throw new Error('appOnSandbox: raise portalCount');
      return portal;
    },
  };
}
