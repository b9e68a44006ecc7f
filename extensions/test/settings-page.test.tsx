import { Alert, Button, Input, LoadingButton, LoadingSpinner, NumberInput, Select, StatusTag, Text, Toggle } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NUMBERING_RULE, SettingsView } from '../src/app/settings/components/SettingsView';
import { listPage, page, settings, stripe, userPermissions } from './fixtures';
import { created, fail, mockService, ok, type Reply } from './mock-service';
import { change, textOf } from './text';
import type { Settings } from '@invoices/shared/lib/types';

const SETTINGS = 'GET /api/v1/settings';
const PERMS = 'GET /api/v1/invoices?limit=1';
const STRIPE = 'GET /api/v1/stripe/connection';
const USERS = 'GET /api/v1/users';
const DOMAINS = 'GET /api/v1/settings/domains';

/** A domain as GET /api/v1/settings/domains lists it. */
const domainRow = (domain: string, status: 'pending' | 'verified', token = `token-${domain}`) => ({
  domain,
  status,
  dnsRecord: { type: 'TXT' as const, name: `_invoicing-challenge.${domain}`, value: token },
  createdAt: '2026-11-28T12:00:00.000Z',
  verifiedAt: status === 'verified' ? '2026-11-28T13:00:00.000Z' : null,
});

function renderSettings(routes: Record<string, Reply> = {}) {
  const service = mockService({
    [SETTINGS]: ok(settings()),
    [PERMS]: ok(listPage([])),
    [STRIPE]: ok(stripe()),
    [USERS]: ok(page([])),
    [DOMAINS]: ok({ data: [] }),
    ...routes,
  });
  const r = createRenderer('settings');
  r.render(<SettingsView />);
  return { ...r, service };
}

const putBodies = (r: ReturnType<typeof renderSettings>, path = '/api/v1/settings') =>
  r.service.calls.filter((c) => c.method === 'PUT' && c.path === path).map((c) => c.body);
const alertTitled = (r: ReturnType<typeof renderSettings>, title: string) => r.findAll(Alert).find((a) => a.props.title === title);
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

afterEach(() => vi.restoreAllMocks());

describe('Settings page: general settings', () => {
  it('loads, then shows the next-number preview and the numbering rule', async () => {
    const r = renderSettings();
    expect(r.find(LoadingSpinner)).toBeTruthy();
    await r.waitFor(() => r.findByTestId(Text, 'number-preview'));
    expect(textOf(r.findByTestId(Text, 'number-preview'))).toBe('Next invoice number: INV-1001');
    expect(textOf(r.getRootNode())).toContain(NUMBERING_RULE);
    change(r.find(Input, { name: 'numberPrefix' }), 'ACME');
    change(r.find(NumberInput, { name: 'nextNumber' }), 2000);
    await r.waitFor(() => expect(textOf(r.findByTestId(Text, 'number-preview'))).toBe('Next invoice number: ACME-2000'));
    change(r.find(Input, { name: 'numberPrefix' }), '-bad prefix');
    await r.waitFor(() => expect(textOf(r.findByTestId(Text, 'number-preview'))).toBe('Next invoice number: —'));
    expect(r.find(Input, { name: 'numberPrefix' }).props.validationMessage).toContain('starting with a letter or digit');
  });

  it('saves defaults, brand with address, time zone, currency and the default domain in one PUT', async () => {
    const r = renderSettings({
      [SETTINGS]: ok(settings({ domains: ['billing.example.com'] })),
      [DOMAINS]: ok({ data: [domainRow('billing.example.com', 'verified')] }),
      'PUT /api/v1/settings': (req) => ok(settings({ ...(req.body as object), domains: ['billing.example.com'], version: 4 })),
    });
    await r.waitFor(() => r.findByTestId(Button, 'save-settings'));
    change(r.find(Select, { name: 'defaultPaymentTerms' }), 'net_15');
    change(r.find(Toggle, { name: 'allowPartialPayments' }), true);
    change(r.find(Input, { name: 'timeZone' }), 'Europe/Amsterdam');
    change(r.find(Input, { name: 'defaultCurrency' }), 'eur');
    change(r.find(Input, { name: 'logoUrl' }), 'https://cdn.example.com/logo.png');
    change(r.find(Input, { name: 'address-city' }), 'Amsterdam');
    await r.waitFor(() => r.findByTestId(StatusTag, 'domain-status-billing.example.com'));
    change(r.find(Select, { name: 'defaultDomain' }), 'billing.example.com');
    r.findByTestId(Button, 'save-settings').trigger('onClick');
    await r.waitFor(() => expect(alertTitled(r, 'Saved')).toBeTruthy());
    expect(putBodies(r)).toEqual([
      {
        numberPrefix: 'INV',
        nextNumber: 1001,
        defaultPaymentTerms: 'net_15',
        defaultPaymentMethods: ['card'],
        allowPartialPayments: true,
        timeZone: 'Europe/Amsterdam',
        defaultCurrency: 'EUR',
        brand: { name: 'Acme', logoUrl: 'https://cdn.example.com/logo.png', address: { city: 'Amsterdam' } },
        defaultDomain: 'billing.example.com',
      },
    ]);
  });

  it('adds a domain as pending with the TXT record to create, verifies it, and offers it as the default only then', async () => {
    const r = renderSettings({
      'POST /api/v1/settings/domains': (req) => created(domainRow(String(req.body?.domain), 'pending', 'tok_123')),
    });
    await r.waitFor(() => r.findByTestId(LoadingButton, 'add-domain'));
    change(r.find(Input, { name: 'newDomain' }), 'https://Billing.Example.com/');
    r.findByTestId(LoadingButton, 'add-domain').trigger('onClick');
    await r.waitFor(() => r.findByTestId(StatusTag, 'domain-status-billing.example.com'));
    expect(textOf(r.findByTestId(StatusTag, 'domain-status-billing.example.com'))).toBe('Waiting for DNS record');
    expect(textOf(r.findByTestId(Text, 'domain-record-name-billing.example.com'))).toBe('_invoicing-challenge.billing.example.com');
    expect(textOf(r.findByTestId(Text, 'domain-record-value-billing.example.com'))).toBe('tok_123');
    expect(r.service.calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([{ domain: 'billing.example.com' }]);
    // Pending: not a choice for the default yet.
    expect(r.find(Select, { name: 'defaultDomain' }).props.options.map((o) => o.value)).toEqual(['']);
    change(r.find(Input, { name: 'newDomain' }), 'billing.example.com');
    r.findByTestId(LoadingButton, 'add-domain').trigger('onClick');
    await r.waitFor(() => expect(r.find(Input, { name: 'newDomain' }).props.validationMessage).toBe('This domain is already in the list.'));

    // The record is not there yet: the service's message is shown, nothing changes.
    r.service.on(
      'POST /api/v1/settings/domains/billing.example.com/verify',
      fail(422, 'domain_not_verified', 'No TXT record found at _invoicing-challenge.billing.example.com'),
    );
    r.findByTestId(LoadingButton, 'verify-domain-billing.example.com').trigger('onClick');
    await r.waitFor(() => expect(textOf(alertTitled(r, 'That did not work')!)).toContain('No TXT record found'));
    r.service.on('POST /api/v1/settings/domains/billing.example.com/verify', ok(domainRow('billing.example.com', 'verified', 'tok_123')));
    r.findByTestId(LoadingButton, 'verify-domain-billing.example.com').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.findByTestId(StatusTag, 'domain-status-billing.example.com'))).toBe('Verified'));
    expect(r.find(Select, { name: 'defaultDomain' }).props.options.map((o) => o.value)).toEqual(['', 'billing.example.com']);
    expect(r.maybeFind(Text, { testId: 'domain-record-value-billing.example.com' })).toBeNull();

    r.service.on('DELETE /api/v1/settings/domains/billing.example.com', { status: 204 });
    r.findByTestId(Button, 'remove-domain-billing.example.com').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFind(StatusTag, { testId: 'domain-status-billing.example.com' })).toBeNull());
    expect(r.find(Select, { name: 'defaultDomain' }).props.options.map((o) => o.value)).toEqual(['']);
  });

  it('shows the service refusing a used number', async () => {
    const r = renderSettings({
      'PUT /api/v1/settings': fail(422, 'number_already_used', 'INV-1049 was already issued: the next number must be at least 1050'),
    });
    await r.waitFor(() => r.findByTestId(Button, 'save-settings'));
    change(r.find(NumberInput, { name: 'nextNumber' }), 1002);
    r.findByTestId(Button, 'save-settings').trigger('onClick');
    await r.waitFor(() => expect(textOf(alertTitled(r, 'Settings were not saved')!)).toContain('must be at least 1050'));
  });

  it('shows a service validation error on the field it names', async () => {
    const r = renderSettings({
      'PUT /api/v1/settings': fail(400, 'validation_failed', 'Invalid settings', [
        { path: 'timeZone', message: 'must be an IANA time zone such as Europe/Amsterdam' },
      ]),
    });
    await r.waitFor(() => r.findByTestId(Button, 'save-settings'));
    change(r.find(Input, { name: 'timeZone' }), 'Mars/Olympus');
    r.findByTestId(Button, 'save-settings').trigger('onClick');
    await r.waitFor(() => expect(r.find(Input, { name: 'timeZone' }).props.validationMessage).toBe('must be an IANA time zone such as Europe/Amsterdam'));
    expect(textOf(alertTitled(r, 'Settings were not saved')!)).toContain('timeZone: must be an IANA time zone');
  });

  it('checks the logo URL and currency before saving', async () => {
    const r = renderSettings();
    await r.waitFor(() => r.findByTestId(Button, 'save-settings'));
    change(r.find(Input, { name: 'logoUrl' }), 'http://insecure.example.com/logo.png');
    change(r.find(Input, { name: 'defaultCurrency' }), 'EURO');
    r.findByTestId(Button, 'save-settings').trigger('onClick');
    await r.waitFor(() => expect(r.find(Input, { name: 'logoUrl' }).props.validationMessage).toBe('The logo URL must start with https://.'));
    expect(r.find(Input, { name: 'defaultCurrency' }).props.validationMessage).toContain('3-letter');
    await settled();
    expect(putBodies(r)).toEqual([]);
  });

  it('shows a load error as an alert', async () => {
    const r = renderSettings({ [SETTINGS]: fail(403, 'forbidden') });
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('permission'));
  });

  it('is read-only for a user without the settings permission', async () => {
    const r = renderSettings({
      [PERMS]: ok(listPage([], { permissions: { settings: false } })),
      [STRIPE]: ok(stripe({ status: 'connected', accountId: 'acct_1', chargesEnabled: true })),
    });
    await r.waitFor(() => r.findByTestId(Text, 'read-only-note'));
    for (const id of ['save-settings', 'save-mappings', 'add-domain', 'add-item', 'stripe-disconnect-button']) {
      expect(r.maybeFind(Button, { testId: id }), id).toBeNull();
    }
    expect(r.maybeFind(LoadingButton, { testId: 'stripe-connect' })).toBeNull();
    expect(r.maybeFind(LoadingButton, { testId: 'add-domain' })).toBeNull();
    expect(r.find(Input, { name: 'numberPrefix' }).props.readOnly).toBe(true);
    expect(r.maybeFind(Input, { name: 'permissionsUserId' })).toBeNull();
    expect(r.service.calls.some((c) => c.path === '/api/v1/users')).toBe(false);
  });

  it('is read-only when the user has no invoice access at all (403 on the list)', async () => {
    const r = renderSettings({ [PERMS]: fail(403, 'forbidden') });
    await r.waitFor(() => r.findByTestId(Text, 'read-only-note'));
    expect(r.maybeFind(Button, { testId: 'save-settings' })).toBeNull();
  });
});

describe('Settings page: Stripe', () => {
  it('Connect asks the service for the onboarding URL and offers it in a new tab', async () => {
    const url = 'https://connect.stripe.com/setup/s/acct_123/abc';
    const r = renderSettings({ 'POST /api/v1/stripe/connect': ok({ url }) });
    await r.waitFor(() => r.findByTestId(LoadingButton, 'stripe-connect'));
    expect(r.findByTestId(StatusTag, 'stripe-status').text).toBe('Not connected');
    expect(r.maybeFind(Button, { testId: 'stripe-open' })).toBeNull();
    r.findByTestId(LoadingButton, 'stripe-connect').trigger('onClick');
    await r.waitFor(() => r.findByTestId(Button, 'stripe-open'));
    expect(r.findByTestId(Button, 'stripe-open').props.href).toEqual({ url, external: true });
    r.service.on(STRIPE, ok(stripe({ status: 'pending', accountId: 'acct_123' })));
    r.findByTestId(Button, 'stripe-refresh').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'stripe-status').text).toBe('Onboarding not finished'));
  });

  it('disconnects a connected account after confirmation', async () => {
    const r = renderSettings({
      [STRIPE]: ok(stripe({ status: 'connected', accountId: 'acct_9', chargesEnabled: true, connectedAt: '2026-11-01T00:00:00.000Z' })),
      'DELETE /api/v1/stripe/connection': { status: 204 },
    });
    await r.waitFor(() => r.findByTestId(Button, 'stripe-disconnect-button'));
    expect(textOf(r.getRootNode())).toContain('acct_9');
    expect(r.maybeFind(LoadingButton, { testId: 'stripe-connect' })).toBeNull();
    r.service.on(STRIPE, ok(stripe()));
    r.findByTestId(Button, 'stripe-disconnect-confirm').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'stripe-status').text).toBe('Not connected'));
    expect(r.service.calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
  });

  it('says so when the service has no Stripe keys, and shows a refused connect', async () => {
    const off = renderSettings({ [STRIPE]: ok(stripe({ available: false })) });
    await off.waitFor(() => expect(alertTitled(off, 'Online payments are not set up')).toBeTruthy());
    expect(off.maybeFind(LoadingButton, { testId: 'stripe-connect' })).toBeNull();
    vi.restoreAllMocks();
    const r = renderSettings({ 'POST /api/v1/stripe/connect': fail(502, 'upstream_error', 'Stripe is down') });
    await r.waitFor(() => r.findByTestId(LoadingButton, 'stripe-connect'));
    r.findByTestId(LoadingButton, 'stripe-connect').trigger('onClick');
    await r.waitFor(() => expect(textOf(alertTitled(r, 'That did not work')!)).toContain('did not answer in time'));
  });
});

describe('Settings page: accounting mappings', () => {
  // Partial on purpose: the form fills what a mapping leaves out with the service's defaults.
  const mappings = {
    dateFormat: 'DD/MM/YYYY' as const,
    defaultAccountCode: '200',
    bom: { 'xero-csv': true },
    items: [{ sku: 'ONB-1', accountCode: '210', taxType: 'VAT 21%', incomeAccount: 'Services' }],
  };

  it('edits defaults, byte-order marks and per-SKU rows, and saves them', async () => {
    const r = renderSettings({
      [SETTINGS]: ok(settings({ accountingMappings: mappings as Settings['accountingMappings'] })),
      'PUT /api/v1/settings': (req) =>
        ok(settings({ accountingMappings: (req.body as { accountingMappings: Settings['accountingMappings'] }).accountingMappings })),
    });
    await r.waitFor(() => r.find(Input, { name: 'item-0-sku' }));
    expect(r.find(Input, { name: 'mapping-defaultAccountCode' }).props.value).toBe('200');
    expect(r.find(Input, { name: 'mapping-incomeAccount' }).props.placeholder).toBe('Sales');
    expect(r.find(Toggle, { name: 'bom-xero-csv' }).props.checked).toBe(true);
    expect(r.find(Toggle, { name: 'bom-csv' }).props.checked).toBe(true);
    change(r.find(Select, { name: 'dateFormat' }), 'MM/DD/YYYY');
    change(r.find(Toggle, { name: 'bom-csv' }), false);
    change(r.find(Input, { name: 'mapping-taxAccount' }), 'VAT Payable');
    r.findByTestId(Button, 'add-item').trigger('onClick');
    await r.waitFor(() => r.find(Input, { name: 'item-1-sku' }));
    change(r.find(Input, { name: 'item-1-sku' }), 'ONB-1');
    r.findByTestId(Button, 'save-mappings').trigger('onClick');
    await r.waitFor(() => expect(r.find(Input, { name: 'item-1-sku' }).props.validationMessage).toBe('This SKU is mapped twice.'));
    expect(putBodies(r)).toEqual([]);
    change(r.find(Input, { name: 'item-1-sku' }), 'SUP-1');
    change(r.find(Input, { name: 'item-1-accountCode' }), '220');
    r.findByTestId(Button, 'remove-item-0').trigger('onClick');
    r.findByTestId(Button, 'save-mappings').trigger('onClick');
    await r.waitFor(() => expect(alertTitled(r, 'Saved')).toBeTruthy());
    expect(putBodies(r)).toEqual([
      {
        accountingMappings: {
          dateFormat: 'MM/DD/YYYY',
          defaultAccountCode: '200',
          taxAccount: 'VAT Payable',
          bom: { 'xero-csv': true, 'qbo-csv': false, 'qbd-iif': false, csv: false },
          items: [{ sku: 'SUP-1', accountCode: '220' }],
        },
      },
    ]);
  });
});

describe('Settings page: user permissions', () => {
  it('lists users with grants, shows defaults vs explicit per permission, and saves the explicit grants', async () => {
    const r = renderSettings({
      [USERS]: ok(page([{ userId: '42', explicit: { void: true }, effective: userPermissions().effective }])),
      'GET /api/v1/users/42/permissions': ok(userPermissions()),
      'PUT /api/v1/users/42/permissions': (req) => ok(userPermissions({ explicit: (req.body as { explicit: object }).explicit })),
    });
    await r.waitFor(() => r.findByTestId(Button, 'edit-user-42'));
    expect(textOf(r.getRootNode())).toContain('void: yes');
    r.findByTestId(Button, 'edit-user-42').trigger('onClick');
    await r.waitFor(() => r.find(Toggle, { name: 'perm-void' }));
    expect(r.findAll(Toggle).filter((t) => String(t.props.name).startsWith('perm-'))).toHaveLength(7);
    expect(r.find(Toggle, { name: 'perm-void' }).props.checked).toBe(true);
    expect(textOf(r.findByTestId(Text, 'perm-source-void'))).toBe('set for this user (default: not allowed)');
    expect(textOf(r.findByTestId(Text, 'perm-source-edit'))).toBe('default (allowed)');
    change(r.find(Toggle, { name: 'perm-export' }), true);
    change(r.find(Toggle, { name: 'perm-edit' }), false);
    r.findByTestId(Button, 'reset-void').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.findByTestId(Text, 'perm-source-void'))).toBe('default (not allowed)'));
    r.findByTestId(Button, 'save-permissions').trigger('onClick');
    await r.waitFor(() => expect(alertTitled(r, 'Saved')).toBeTruthy());
    expect(putBodies(r, '/api/v1/users/42/permissions')).toEqual([{ explicit: { export: true, edit: false } }]);
  });

  it('loads any user by id; a super admin cannot be restricted', async () => {
    const r = renderSettings({ 'GET /api/v1/users/7/permissions': ok(userPermissions({ userId: '7', superAdmin: true, explicit: {} })) });
    await r.waitFor(() => r.find(Input, { name: 'permissionsUserId' }));
    expect(r.findByTestId(LoadingButton, 'load-user').props.disabled).toBe(true);
    change(r.find(Input, { name: 'permissionsUserId' }), '7');
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'load-user').props.disabled).toBe(false));
    r.findByTestId(LoadingButton, 'load-user').trigger('onClick');
    await r.waitFor(() => r.findByTestId(Text, 'super-admin'));
    expect(r.find(Toggle, { name: 'perm-settings' }).props.checked).toBe(true);
    expect(r.find(Toggle, { name: 'perm-settings' }).props.readOnly).toBe(true);
    expect(r.maybeFind(Button, { testId: 'save-permissions' })).toBeNull();
  });

  it('shows a refused permissions change as an alert', async () => {
    const r = renderSettings({
      'GET /api/v1/users/42/permissions': ok(userPermissions()),
      'PUT /api/v1/users/42/permissions': fail(403, 'forbidden', 'missing permission settings', [{ path: 'permission', message: 'settings' }]),
    });
    await r.waitFor(() => r.find(Input, { name: 'permissionsUserId' }));
    change(r.find(Input, { name: 'permissionsUserId' }), '42');
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'load-user').props.disabled).toBe(false));
    r.findByTestId(LoadingButton, 'load-user').trigger('onClick');
    await r.waitFor(() => r.findByTestId(Button, 'save-permissions'));
    r.findByTestId(Button, 'save-permissions').trigger('onClick');
    await r.waitFor(() => expect(textOf(alertTitled(r, 'Permissions could not be changed')!)).toContain('You do not have permission'));
  });
});
