/** Hands out a usable HubSpot access token per portal; what the CRM adapter takes as `accessToken`. */
export interface HubSpotTokenProvider {
  /**
   * A decrypted access token for the portal with at least 5 minutes to live, refreshed first when
   * needed. Throws DomainError `portal_not_installed` (unknown or uninstalled portal),
   * `hubspot_reauth_required` (HubSpot refused the refresh token) or `upstream_error`.
   */
  accessTokenFor(portalId: number): Promise<string>;
}
