import { describe, expect, it } from 'vitest';
import { HUBSPOT_API_VERSION, hubspotPaths, isLegacyHubSpotPath } from '../src/integrations/hubspot/api-version.js';

describe('HubSpot API version: one module builds every path', () => {
  it('puts the date version after the API name, never a numeric version', () => {
    expect(HUBSPOT_API_VERSION).toMatch(/^\d{4}-\d{2}$/);
    const paths = [
      hubspotPaths.objects('deals', '9001'),
      hubspotPaths.objects('line_items', 'batch', 'read'),
      hubspotPaths.recordAssociations('invoices', '1', 'line_items'),
      hubspotPaths.defaultAssociation('invoices', '1', 'contacts', '101'),
      hubspotPaths.associationsBatchRead('deals', 'line_items'),
      hubspotPaths.properties('invoices', 'groups', 'invoicing_app'),
      hubspotPaths.owner('42'),
      hubspotPaths.settingsUser('42'),
      hubspotPaths.oauthToken(),
      hubspotPaths.oauthIntrospect(),
      hubspotPaths.oauthRevoke(),
    ];
    expect(paths).toEqual([
      '/crm/objects/2026-03/deals/9001',
      '/crm/objects/2026-03/line_items/batch/read',
      '/crm/objects/2026-03/invoices/1/associations/line_items',
      '/crm/objects/2026-03/invoices/1/associations/default/contacts/101',
      '/crm/associations/2026-03/deals/line_items/batch/read',
      '/crm/properties/2026-03/invoices/groups/invoicing_app',
      '/crm/owners/2026-03/42',
      '/settings/users/2026-03/42',
      '/oauth/2026-03/token',
      '/oauth/2026-03/token/introspect',
      '/oauth/2026-03/token/revoke',
    ]);
    for (const p of paths) expect(isLegacyHubSpotPath(p), p).toBe(false);
  });

  it('encodes every segment, so an id cannot reach another path', () => {
    expect(hubspotPaths.objects('deals', '1/../../v3')).toBe('/crm/objects/2026-03/deals/1%2F..%2F..%2Fv3');
    expect(hubspotPaths.settingsUser('a b')).toBe('/settings/users/2026-03/a%20b');
  });

  it('knows the legacy prefixes HubSpot has announced as unsupported', () => {
    for (const p of ['/oauth/v1/token', '/crm/v3/objects/deals/1', '/crm/v4/associations/deals/contacts/batch/read', '/settings/v3/users/1']) {
      expect(isLegacyHubSpotPath(p), p).toBe(true);
    }
  });
});
