import { consumeOAuthState, findPortalInstall, saveInstall } from '../db/hubspot-install-repo.js';
import { ensurePortal } from '../db/portals-repo.js';
import type { Deps } from './deps.js';
import { AppError } from './errors.js';
import { HubSpotGrantRefused, type HubSpotOAuthPort } from './ports/hubspot-oauth.js';
import { checkOAuthState } from './oauth-state.js';
import { sealPortalTokens } from './portal-token-seal.js';
import { configuredSecretBox } from './secret-box.js';
import { nothingToPrepare, runCommand } from './unit-of-work.js';

/** What the install callback reports back. */
export interface CompletedInstall {
  portalId: number;
  hubDomain: string | null;
  /** True when the portal had been installed before (tokens were replaced). */
  reinstalled: boolean;
}

const STATE_PROBLEMS = {
  forged: 'The install link is not valid. Start the install again from HubSpot.',
  expired: 'The install link expired (it lasts 10 minutes). Start the install again from HubSpot.',
  used: 'The install link was already used. Start the install again from HubSpot.',
} as const;

function invalidState(reason: keyof typeof STATE_PROBLEMS): AppError {
  return new AppError('invalid_oauth_state', STATE_PROBLEMS[reason], [{ path: 'state', message: reason }]);
}

/**
 * Finishes an install from HubSpot's redirect: checks and uses up the state, trades the code for
 * tokens, asks HubSpot whose account they are for, and stores them sealed on the portal (created
 * with default settings when new). A reinstall replaces the tokens and re-activates the portal.
 */
export async function completeInstall(
  deps: Pick<Deps, 'db' | 'config' | 'clock'> & { oauth: HubSpotOAuthPort },
  input: { code: string; state: string },
): Promise<CompletedInstall> {
  const { config } = deps;
  const check = checkOAuthState(config.apiTokenSecret, input.state, deps.clock());
  if (!check.ok) throw invalidState(check.reason);
  // Used up before the code is spent: a failed exchange needs a new install anyway (codes are single-use too).
  if (!(await consumeOAuthState(deps.db, check.id, deps.clock()))) throw invalidState('used');

  let tokens;
  try {
    tokens = await deps.oauth.exchangeCode(input.code);
  } catch (err) {
    if (err instanceof HubSpotGrantRefused) {
      throw new AppError('oauth_code_rejected', 'HubSpot did not accept the authorization code (expired or already used). Start the install again.');
    }
    throw err;
  }
  const info = await deps.oauth.tokenInfo(tokens.accessToken);
  const portalId = info.hubId;
  const box = configuredSecretBox(config);

  return runCommand(deps, {}, nothingToPrepare, async ({ trx }) => {
    await ensurePortal(trx, portalId, config.defaultTimeZone);
    const before = await findPortalInstall(trx, portalId, { forUpdate: true });
    // The clock is read after the lock: a refresh that held it must not look newer than this install.
    const now = deps.clock();
    await saveInstall(
      trx,
      portalId,
      { ...sealPortalTokens(box, portalId, tokens, now), hubDomain: info.hubDomain, scopes: info.scopes, installedByUserId: info.userId },
      now,
    );
    return { portalId, hubDomain: info.hubDomain, reinstalled: before?.installedAt != null };
  });
}
