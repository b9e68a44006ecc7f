import type { Deps } from '../../src/app/deps.js';
import { sealPortalTokens } from '../../src/app/portal-token-seal.js';
import { createSecretBox } from '../../src/app/secret-box.js';
import { saveInstall } from '../../src/db/hubspot-install-repo.js';
import { ensurePortal } from '../../src/db/portals-repo.js';

/**
 * A portal with the app installed, written straight to the database (for tests about what
 * happens after an install; test/oauth.test.ts covers the install itself).
 */
export async function installedPortal(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  portalId: number,
  tokens: { accessToken?: string; refreshToken?: string; expiresInSeconds?: number } = {},
): Promise<void> {
  const now = deps.clock();
  await ensurePortal(deps.db, portalId, deps.config.defaultTimeZone);
  const sealed = sealPortalTokens(
    createSecretBox(deps.config.tokenEncryptionKey),
    portalId,
    {
      accessToken: tokens.accessToken ?? `at-${portalId}`,
      refreshToken: tokens.refreshToken ?? `rt-${portalId}`,
      expiresInSeconds: tokens.expiresInSeconds ?? 1800,
    },
    now,
  );
  await saveInstall(deps.db, portalId, { ...sealed, hubDomain: `portal-${portalId}.example.com`, scopes: ['oauth'], installedByUserId: '7001' }, now);
}
