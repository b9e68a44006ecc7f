import type { HubSpotTokens } from './ports/hubspot-oauth.js';
import type { SecretBox } from './secret-box.js';

// The portal and the column are the associated data of each sealed token: a token copied into
// another portal's row, or from one column to the other, does not open.
export const accessContext = (portalId: number) => `portal:${portalId}:access_token`;
export const refreshContext = (portalId: number) => `portal:${portalId}:refresh_token`;

/** The sealed form of a token pair, ready for the portal row. */
export interface SealedTokens {
  accessTokenSealed: string;
  refreshTokenSealed: string;
  accessTokenExpiresAt: Date;
}

/** Seals a fresh token pair for `portalId`; the expiry counts from `now`. */
export function sealPortalTokens(box: SecretBox, portalId: number, tokens: HubSpotTokens, now: Date): SealedTokens {
  return {
    accessTokenSealed: box.seal(tokens.accessToken, accessContext(portalId)),
    refreshTokenSealed: box.seal(tokens.refreshToken, refreshContext(portalId)),
    accessTokenExpiresAt: new Date(now.getTime() + tokens.expiresInSeconds * 1000),
  };
}

/** Opens a portal's sealed access token. */
export function openAccessToken(box: SecretBox, portalId: number, sealed: string): string {
  return box.open(sealed, accessContext(portalId));
}

/** Opens a portal's sealed refresh token. */
export function openRefreshToken(box: SecretBox, portalId: number, sealed: string): string {
  return box.open(sealed, refreshContext(portalId));
}
