import { actorPermissions, type Actor } from '../../domain/actor.js';
import type { UserPermissions } from '../../app/user-permissions.js';
import { PERMISSIONS, type ExplicitGrants, type PermissionSet } from '../../domain/permissions.js';
import type { UserGrantsResponse, UserPermissionsResponse } from './response.js';

/** The 7 booleans, always in PERMISSIONS order. */
export function presentPermissionSet(set: PermissionSet): PermissionSet {
  return Object.fromEntries(PERMISSIONS.map((p) => [p, set[p]])) as PermissionSet;
}

/** The caller's effective permissions, as list responses carry them (cards hide what is off). */
export function presentPermissions(actor: Actor): PermissionSet {
  return presentPermissionSet(actorPermissions(actor));
}

function presentExplicit(explicit: ExplicitGrants): ExplicitGrants {
  return Object.fromEntries(PERMISSIONS.filter((p) => explicit[p] !== undefined).map((p) => [p, explicit[p]]));
}

/** GET/PUT /api/v1/users/{userId}/permissions */
export function presentUserPermissions(u: UserPermissions): UserPermissionsResponse {
  return {
    userId: u.userId,
    superAdmin: u.superAdmin,
    createdAt: u.createdAt ? u.createdAt.toISOString() : null,
    defaults: presentPermissionSet(u.defaults),
    explicit: presentExplicit(u.explicit),
    effective: presentPermissionSet(u.effective),
  };
}

/** One row of GET /api/v1/users */
export function presentUserGrants(u: Pick<UserPermissions, 'userId' | 'explicit' | 'effective'>): UserGrantsResponse {
  return { userId: u.userId, explicit: presentExplicit(u.explicit), effective: presentPermissionSet(u.effective) };
}
