/**
 * Who may do what with invoices: HubSpot's default rule for a user, explicit grants an admin set
 * on top, and the mapping of API token scopes. Pure: the HubSpot facts come in as arguments.
 */

/** Every permission, in the order responses list them. */
export const PERMISSIONS = ['view', 'edit', 'finalize', 'void', 'record_payment', 'export', 'settings'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** One boolean per permission. */
export type PermissionSet = Record<Permission, boolean>;

/** Grants (true) and revocations (false) an admin set; a permission left out follows the default. */
export type ExplicitGrants = Partial<Record<Permission, boolean>>;

/**
 * HubSpot's cut-over: users created before this instant (UTC) keep view and edit access to
 * invoices; users created on or after it start without invoice access.
 */
export const DEFAULT_ACCESS_CUTOFF = new Date('2023-02-09T00:00:00.000Z');

/** What the defaults need to know about a HubSpot user. `createdAt` null = unknown (treated as new). */
export interface UserFacts {
  superAdmin: boolean;
  createdAt: Date | null;
}

/** A set with every permission `value`. */
export function allPermissions(value: boolean): PermissionSet {
  return Object.fromEntries(PERMISSIONS.map((p) => [p, value])) as PermissionSet;
}

/**
 * The defaults: super admins have everything; otherwise `view` and `edit` iff the user was
 * created before the cut-over (an unknown creation date grants nothing: fail closed), the
 * explicit actions follow `edit`, and `settings` is for super admins only.
 */
export function defaultPermissions(user: UserFacts): PermissionSet {
  if (user.superAdmin) return allPermissions(true);
  const legacy = user.createdAt !== null && user.createdAt.getTime() < DEFAULT_ACCESS_CUTOFF.getTime();
  return { view: legacy, edit: legacy, finalize: legacy, void: legacy, record_payment: legacy, export: legacy, settings: false };
}

/** Defaults overridden by the explicit grants. */
export function effectivePermissions(defaults: PermissionSet, explicit: ExplicitGrants): PermissionSet {
  const out = { ...defaults };
  for (const p of PERMISSIONS) {
    const v = explicit[p];
    if (v !== undefined) out[p] = v;
  }
  return out;
}

/** The permissions of an API token's scopes (an admin issues a token with the scopes it carries). */
export const SCOPE_PERMISSIONS = {
  'invoices:read': ['view'],
  'invoices:write': ['edit', 'finalize', 'void', 'record_payment'],
  exports: ['export'],
  settings: ['settings'],
} as const satisfies Record<string, readonly Permission[]>;

/** What a token with `scopes` may do. */
export function permissionsOfScopes(scopes: readonly (keyof typeof SCOPE_PERMISSIONS)[]): PermissionSet {
  const out = allPermissions(false);
  for (const s of scopes) for (const p of SCOPE_PERMISSIONS[s]) out[p] = true;
  return out;
}

/** The token scopes a permission set covers in full (for code that still reads `Actor.scopes`). */
export function scopesOfPermissions(set: PermissionSet): Array<keyof typeof SCOPE_PERMISSIONS> {
  return (Object.keys(SCOPE_PERMISSIONS) as Array<keyof typeof SCOPE_PERMISSIONS>).filter((s) => SCOPE_PERMISSIONS[s].every((p) => set[p]));
}
