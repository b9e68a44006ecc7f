import { findExplicitGrants, findUserFacts, listUsersWithGrants, replaceExplicitGrants, saveUserFacts } from '../db/user-permissions-repo.js';
import { DomainError } from '../domain/errors.js';
import { defaultPermissions, effectivePermissions, type ExplicitGrants, type PermissionSet, type UserFacts } from '../domain/permissions.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound } from './errors.js';
import type { HubSpotUsersPort } from './ports/hubspot-users.js';
import { nothingToPrepare, runCommand, type CommandRun } from './unit-of-work.js';

/**
 * How long HubSpot's answer about a user (super admin, creation date) is used before it is read
 * again. A promotion to super admin in HubSpot therefore shows here within this time; when HubSpot
 * fails, an older answer is used rather than locking everyone out.
 */
export const USER_FACTS_TTL_MS = 60 * 60 * 1000;

export type PermissionDeps = Pick<Deps, 'db' | 'clock' | 'logger'> & { users: HubSpotUsersPort };

/** A user's permissions, as GET /api/v1/users/{userId}/permissions shows them. */
export interface UserPermissions {
  userId: string;
  superAdmin: boolean;
  createdAt: Date | null;
  defaults: PermissionSet;
  explicit: ExplicitGrants;
  effective: PermissionSet;
}

/**
 * The user's HubSpot facts: from the cache while fresh, else from HubSpot (and cached). When
 * HubSpot fails (or refuses the app's token/scopes), a stale cached answer is used; without one
 * the error (upstream_error -> 502, hubspot_reauth_required -> 401) propagates. Null when HubSpot does not know the user.
 */
export async function resolveUserFacts(deps: PermissionDeps, portalId: number, userId: string): Promise<UserFacts | null> {
  const cached = await findUserFacts(deps.db, portalId, userId);
  const now = deps.clock();
  if (cached && now.getTime() - cached.fetchedAt.getTime() < USER_FACTS_TTL_MS) return cached;
  let facts: UserFacts | null;
  try {
    facts = await deps.users.userFacts(portalId, userId);
  } catch (err) {
    // Stale facts beat locking users out while HubSpot is down or the app awaits reconnection.
    if (cached && err instanceof DomainError && (err.code === 'upstream_error' || err.code === 'hubspot_reauth_required')) {
      deps.logger.warn({ portalId, userId, fetchedAt: cached.fetchedAt.toISOString() }, 'HubSpot user lookup failed; using the cached (stale) user facts');
      return cached;
    }
    throw err;
  }
  if (facts) await saveUserFacts(deps.db, portalId, userId, facts, now);
  return facts;
}

function permissionsOf(userId: string, facts: UserFacts, explicit: ExplicitGrants): UserPermissions {
  const defaults = defaultPermissions(facts);
  return { userId, superAdmin: facts.superAdmin, createdAt: facts.createdAt, defaults, explicit, effective: effectivePermissions(defaults, explicit) };
}

/**
 * The effective permissions of a HubSpot user acting through a card. A user HubSpot does not
 * know (it signed the request, so this should not happen) gets no defaults, only explicit grants.
 */
export async function effectivePermissionsOfUser(deps: PermissionDeps, portalId: number, userId: string): Promise<PermissionSet> {
  const [facts, explicit] = [await resolveUserFacts(deps, portalId, userId), await findExplicitGrants(deps.db, portalId, userId)];
  return permissionsOf(userId, facts ?? { superAdmin: false, createdAt: null }, explicit).effective;
}

/** A user's defaults, explicit grants and effective permissions; 404 for a user HubSpot does not know. */
export async function getUserPermissions(deps: PermissionDeps, actor: Actor, userId: string): Promise<UserPermissions> {
  const facts = await resolveUserFacts(deps, actor.portalId, userId);
  if (!facts) throw notFound('User');
  return permissionsOf(userId, facts, await findExplicitGrants(deps.db, actor.portalId, userId));
}

/** Replaces a user's explicit grants (keys left out follow the defaults); 404 for an unknown user. */
export async function setUserPermissions(
  deps: PermissionDeps,
  actor: Actor,
  userId: string,
  explicit: ExplicitGrants,
  run: CommandRun<UserPermissions> = {},
): Promise<UserPermissions> {
  const facts = await resolveUserFacts(deps, actor.portalId, userId);
  if (!facts) throw notFound('User');
  const by = `${actor.kind}:${actor.userId ?? '-'}`;
  return runCommand(deps, run, nothingToPrepare, async ({ trx }) => {
    const before = await findExplicitGrants(trx, actor.portalId, userId);
    await replaceExplicitGrants(trx, actor.portalId, userId, explicit, by, deps.clock());
    // The portal-level audit of permission changes: this line, and updated_by/updated_at on the rows.
    deps.logger.info({ portalId: actor.portalId, userId, by, before, after: explicit }, 'user permissions changed');
    return permissionsOf(userId, facts, explicit);
  });
}

/** Users with explicit grants, a page at a time (cursor = the last user id of the previous page). */
export async function listUserGrants(
  deps: PermissionDeps,
  actor: Actor,
  page: { limit: number; cursor?: string },
): Promise<{ users: Array<Pick<UserPermissions, 'userId' | 'explicit' | 'effective'>>; nextCursor: string | null }> {
  const rows = await listUsersWithGrants(deps.db, actor.portalId, { limit: page.limit + 1, ...(page.cursor ? { after: page.cursor } : {}) });
  const shown = rows.slice(0, page.limit);
  const users = [];
  for (const r of shown) {
    // Cached facts when there are any; a user HubSpot no longer knows keeps only the grants.
    const facts = (await resolveUserFacts(deps, actor.portalId, r.userId)) ?? { superAdmin: false, createdAt: null };
    const p = permissionsOf(r.userId, facts, r.explicit);
    users.push({ userId: r.userId, explicit: p.explicit, effective: p.effective });
  }
  return { users, nextCursor: rows.length > page.limit ? shown[shown.length - 1]!.userId : null };
}
