import type { UserFacts } from '../../domain/permissions.js';

/** What the permission defaults need from HubSpot about one user of a portal. */
export interface HubSpotUsersPort {
  /**
   * The user's super-admin flag and creation date, or null when HubSpot does not know the user
   * in this portal. Throws DomainError `upstream_error` when HubSpot fails, `hubspot_reauth_required`
   * or `portal_not_installed` when the portal cannot call HubSpot.
   */
  userFacts(portalId: number, userId: string): Promise<UserFacts | null>;
}
