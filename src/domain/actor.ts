import { permissionsOfScopes, type Permission, type PermissionSet } from './permissions.js';

/** API token scopes. */
export const SCOPES = ['invoices:read', 'invoices:write', 'settings', 'exports'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is acting, in which portal. Every use case takes one and scopes every query by `portalId`. */
export interface Actor {
  portalId: number;
  userId: string | null;
  kind: 'user' | 'api_token' | 'stripe' | 'hubspot' | 'system';
  scopes: readonly Scope[];
  /**
   * What the actor may do. Set by the auth middleware (a HubSpot user's effective permissions, or
   * what an API token's scopes map to); when absent, it is derived from `scopes`.
   */
  permissions?: PermissionSet;
}

/** The actor's permissions (from `scopes` when the actor carries none). */
export function actorPermissions(actor: Actor): PermissionSet {
  return actor.permissions ?? permissionsOfScopes(actor.scopes);
}

/** True when the actor holds `permission`. */
export function actorCan(actor: Actor, permission: Permission): boolean {
  return actorPermissions(actor)[permission];
}
