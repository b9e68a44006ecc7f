import type { ExplicitGrants, Permission, UserFacts } from '../domain/permissions.js';
import type { Db } from './invoices-repo.js';

/** Cached HubSpot facts about a user, with when they were read. */
export interface CachedUserFacts extends UserFacts {
  fetchedAt: Date;
}

/** The cached facts of a user, or null. */
export async function findUserFacts(db: Db, portalId: number, userId: string): Promise<CachedUserFacts | null> {
  const row = await db('hubspot_user_facts').where({ portal_id: portalId, user_id: userId }).first();
  return row ? { superAdmin: row.super_admin, createdAt: row.created_at, fetchedAt: row.fetched_at } : null;
}

/** Stores (or refreshes) a user's facts. */
export async function saveUserFacts(db: Db, portalId: number, userId: string, facts: UserFacts, fetchedAt: Date): Promise<void> {
  await db('hubspot_user_facts')
    .insert({ portal_id: portalId, user_id: userId, super_admin: facts.superAdmin, created_at: facts.createdAt, fetched_at: fetchedAt })
    .onConflict(['portal_id', 'user_id'])
    .merge(['super_admin', 'created_at', 'fetched_at']);
}

/** A user's explicit grants and revocations. */
export async function findExplicitGrants(db: Db, portalId: number, userId: string): Promise<ExplicitGrants> {
  const rows = await db('user_permissions').where({ portal_id: portalId, user_id: userId }).select('permission', 'granted');
  return Object.fromEntries(rows.map((r: { permission: Permission; granted: boolean }) => [r.permission, r.granted]));
}

/** Replaces a user's explicit grants (in the caller's transaction). */
export async function replaceExplicitGrants(db: Db, portalId: number, userId: string, grants: ExplicitGrants, by: string, now: Date): Promise<void> {
  await db('user_permissions').where({ portal_id: portalId, user_id: userId }).delete();
  const rows = Object.entries(grants).map(([permission, granted]) => ({
    portal_id: portalId,
    user_id: userId,
    permission,
    granted,
    updated_by: by,
    updated_at: now,
  }));
  if (rows.length > 0) await db('user_permissions').insert(rows);
}

/** Users of the portal that have explicit grants, by user id (numeric order), a page at a time. */
export async function listUsersWithGrants(
  db: Db,
  portalId: number,
  opts: { limit: number; after?: string },
): Promise<Array<{ userId: string; explicit: ExplicitGrants }>> {
  const ids = await db('user_permissions')
    .where({ portal_id: portalId })
    .modify((q) => {
      if (opts.after !== undefined) q.whereRaw('(length(user_id), user_id) > (length(?), ?)', [opts.after, opts.after]);
    })
    .select('user_id')
    .groupBy('user_id')
    .orderByRaw('length(user_id), user_id')
    .limit(opts.limit);
  if (ids.length === 0) return [];
  const userIds = ids.map((r: { user_id: string }) => r.user_id);
  const rows = await db('user_permissions').where({ portal_id: portalId }).whereIn('user_id', userIds).select('user_id', 'permission', 'granted');
  const byUser = new Map<string, ExplicitGrants>(userIds.map((u: string) => [u, {}]));
  for (const r of rows as Array<{ user_id: string; permission: Permission; granted: boolean }>) byUser.get(r.user_id)![r.permission] = r.granted;
  return userIds.map((userId: string) => ({ userId, explicit: byUser.get(userId)! }));
}
