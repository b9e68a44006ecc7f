/**
 * The caller's invoice permissions as the cards use them. Lists carry them (docs/api.md,
 * "Permissions"); a service that does not send them yet is treated as allowing everything,
 * because the service still refuses what the user may not do (403, shown as an alert).
 */
import { PERMISSIONS, type Permission, type Permissions } from './types';

/** Every permission granted: what the cards assume when the service sends none. */
export const ALL_ALLOWED: Permissions = Object.fromEntries(PERMISSIONS.map((p) => [p, true])) as Permissions;

/** The permissions from a list response, or {@link ALL_ALLOWED} when it has none. */
export function permissionsOf(page: { permissions?: Permissions | null } | null | undefined): Permissions {
  return page?.permissions ? { ...ALL_ALLOWED, ...page.permissions } : ALL_ALLOWED;
}

/** What each permission lets a user do, for the permissions editor. */
export const PERMISSION_LABELS: Record<Permission, string> = {
  view: 'View invoices',
  edit: 'Create and edit drafts',
  finalize: 'Finalize invoices',
  void: 'Void invoices',
  record_payment: 'Record payments',
  export: 'Export to accounting',
  settings: 'Change settings',
};
