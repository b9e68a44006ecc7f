import { findPortalInstall, markNeedsReauth, saveRefreshedTokens, type PortalInstall } from '../db/hubspot-install-repo.js';
import { DomainError } from '../domain/errors.js';
import type { Deps } from './deps.js';
import type { HubSpotTokenProvider } from './ports/hubspot-tokens.js';
import { HubSpotGrantRefused, type HubSpotOAuthPort } from './ports/hubspot-oauth.js';
import { openAccessToken, openRefreshToken, sealPortalTokens } from './portal-token-seal.js';
import { configuredSecretBox } from './secret-box.js';

/** HubSpot access tokens live 30 minutes; one with less than this left is refreshed before use, so it outlives the call it is for. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** The portal has no usable install (never installed, or uninstalled). 401 for cards. */
export function portalNotInstalled(): DomainError {
  return new DomainError('portal_not_installed', 'The Invoices app is not installed in this HubSpot account. Install it from the HubSpot App Marketplace.');
}

/** HubSpot no longer honours the portal's grant. 401 for cards. */
export function hubspotReauthRequired(): DomainError {
  return new DomainError(
    'hubspot_reauth_required',
    'HubSpot no longer accepts the Invoices app for this account. A HubSpot super admin needs to reinstall the app to reconnect it.',
  );
}

/** Throws `portal_not_installed` or `hubspot_reauth_required` unless the portal has a usable HubSpot install. */
export async function assertPortalInstalled(deps: Pick<Deps, 'db'>, portalId: number): Promise<void> {
  const problem = installProblem(await findPortalInstall(deps.db, portalId));
  if (problem) throw problem;
}

/** Why a portal cannot act with HubSpot (an error to throw), or null when it can. */
export function installProblem(install: PortalInstall | null): DomainError | null {
  if (install?.status === 'needs_reauth') return hubspotReauthRequired();
  if (!install || install.status !== 'active' || !install.installedAt || !install.accessTokenSealed || !install.refreshTokenSealed) {
    return portalNotInstalled();
  }
  return null;
}

type RefreshOutcome = { token: string; refreshed: boolean } | { refused: string };

/**
 * Builds the token provider. Create one per process (see `Deps.hubspot`): concurrent callers for a
 * portal share one refresh. Across processes the refresh runs under the portal row's lock and
 * re-checks the expiry once it holds it, so a token refreshed meanwhile by another process is
 * used instead of refreshing again.
 */
export function createHubSpotTokenProvider(deps: Pick<Deps, 'db' | 'config' | 'clock' | 'logger'> & { oauth: HubSpotOAuthPort }): HubSpotTokenProvider {
  const box = configuredSecretBox(deps.config);
  const inFlight = new Map<number, Promise<string>>();

  const fresh = (install: PortalInstall, now: Date) =>
    install.accessTokenExpiresAt !== null && install.accessTokenExpiresAt.getTime() - now.getTime() > REFRESH_MARGIN_MS;

  async function refreshUnderLock(portalId: number): Promise<string> {
    const outcome = await deps.db.transaction(async (trx): Promise<RefreshOutcome> => {
      const install = await findPortalInstall(trx, portalId, { forUpdate: true });
      const problem = installProblem(install);
      if (problem) throw problem;
      const now = deps.clock();
      if (fresh(install!, now)) return { token: openAccessToken(box, portalId, install!.accessTokenSealed!), refreshed: false };
      let tokens;
      try {
        tokens = await deps.oauth.refresh(openRefreshToken(box, portalId, install!.refreshTokenSealed!));
      } catch (err) {
        if (!(err instanceof HubSpotGrantRefused)) throw err;
        // Committed, not thrown inside the transaction: the status change must survive.
        await markNeedsReauth(trx, portalId, now);
        return { refused: err.hubspotStatus };
      }
      // Expiry counted from before the call: errs on the side of refreshing early.
      await saveRefreshedTokens(trx, portalId, sealPortalTokens(box, portalId, tokens, now), now);
      return { token: tokens.accessToken, refreshed: true };
    });
    if ('refused' in outcome) {
      deps.logger.warn({ portalId, hubspotStatus: outcome.refused }, 'hubspot refused the refresh token; portal needs reauth');
      throw hubspotReauthRequired();
    }
    if (outcome.refreshed) deps.logger.info({ portalId }, 'hubspot access token refreshed');
    return outcome.token;
  }

  return {
    async accessTokenFor(portalId) {
      const install = await findPortalInstall(deps.db, portalId);
      const problem = installProblem(install);
      if (problem) throw problem;
      if (fresh(install!, deps.clock())) return openAccessToken(box, portalId, install!.accessTokenSealed!);
      let flight = inFlight.get(portalId);
      if (!flight) {
        flight = refreshUnderLock(portalId).finally(() => inFlight.delete(portalId));
        inFlight.set(portalId, flight);
      }
      return flight;
    },
  };
}
