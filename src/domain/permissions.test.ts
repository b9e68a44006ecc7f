import { describe, expect, it } from 'vitest';
import { allPermissions, defaultPermissions, effectivePermissions, permissionsOfScopes, PERMISSIONS } from './permissions.js';

const at = (iso: string) => new Date(iso);

describe('default permissions (HubSpot rule)', () => {
  it('gives a user created at 2023-02-08T23:59:59Z view, edit and the edit-following actions, not settings', () => {
    expect(defaultPermissions({ superAdmin: false, createdAt: at('2023-02-08T23:59:59Z') })).toEqual({
      view: true,
      edit: true,
      finalize: true,
      void: true,
      record_payment: true,
      export: true,
      settings: false,
    });
  });

  it('gives a user created at 2023-02-09T00:00:00Z (and one millisecond before it is still legacy) nothing', () => {
    expect(defaultPermissions({ superAdmin: false, createdAt: at('2023-02-09T00:00:00Z') })).toEqual(allPermissions(false));
    expect(defaultPermissions({ superAdmin: false, createdAt: at('2023-02-08T23:59:59.999Z') }).view).toBe(true);
    expect(defaultPermissions({ superAdmin: false, createdAt: at('2026-01-01T00:00:00Z') })).toEqual(allPermissions(false));
  });

  it('gives super admins everything whatever their creation date', () => {
    expect(defaultPermissions({ superAdmin: true, createdAt: at('2025-01-01T00:00:00Z') })).toEqual(allPermissions(true));
    expect(defaultPermissions({ superAdmin: true, createdAt: null })).toEqual(allPermissions(true));
  });

  it('fails closed when the creation date is unknown', () => {
    expect(defaultPermissions({ superAdmin: false, createdAt: null })).toEqual(allPermissions(false));
  });
});

describe('effective permissions', () => {
  it('lets explicit grants and revocations override the defaults, key by key', () => {
    const defaults = defaultPermissions({ superAdmin: false, createdAt: at('2022-05-01T00:00:00Z') });
    expect(effectivePermissions(defaults, { void: false, settings: true })).toEqual({ ...defaults, void: false, settings: true });
    expect(effectivePermissions(allPermissions(false), { view: true })).toEqual({ ...allPermissions(false), view: true });
    expect(effectivePermissions(defaults, {})).toEqual(defaults);
  });
});

describe('API token scopes', () => {
  it('map to permissions', () => {
    expect(permissionsOfScopes(['invoices:read'])).toEqual({ ...allPermissions(false), view: true });
    expect(permissionsOfScopes(['invoices:write'])).toEqual({ ...allPermissions(false), edit: true, finalize: true, void: true, record_payment: true });
    expect(permissionsOfScopes(['invoices:read', 'invoices:write', 'exports', 'settings'])).toEqual(allPermissions(true));
    expect(Object.keys(permissionsOfScopes([]))).toEqual([...PERMISSIONS]);
  });
});
