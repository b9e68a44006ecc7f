import { Alert, Button, EmptyState, Input, LoadingSpinner, NumberInput, Tab, Table, TableRow, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HomeView } from '../src/app/pages/components/HomeView';
import { NUMBERING_RULE, SettingsView } from '../src/app/settings/components/SettingsView';
import { invoice, page, pastDue, settings } from './fixtures';
import { fail, mockService, ok } from './mock-service';
import { change, textOf } from './text';

afterEach(() => vi.restoreAllMocks());

describe('Settings page', () => {
  const renderSettings = (routes: Parameters<typeof mockService>[0]) => {
    const service = mockService(routes);
    const r = createRenderer('settings');
    r.render(<SettingsView />);
    return { ...r, service };
  };

  it('loads, then shows the next-number preview and the numbering rule', async () => {
    const r = renderSettings({ 'GET /api/v1/settings': ok(settings()) });
    expect(r.find(LoadingSpinner)).toBeTruthy();
    await r.waitFor(() => r.findByTestId(Text, 'number-preview'));
    expect(textOf(r.findByTestId(Text, 'number-preview'))).toBe('Next invoice number: INV-1001');
    expect(textOf(r.getRootNode())).toContain(NUMBERING_RULE);
    change(r.find(Input, { name: 'numberPrefix' }), 'ACME');
    change(r.find(NumberInput, { name: 'nextNumber' }), 2000);
    await r.waitFor(() => expect(textOf(r.findByTestId(Text, 'number-preview'))).toBe('Next invoice number: ACME-2000'));
  });

  it('saves with PUT and shows the service refusing a used number', async () => {
    const r = renderSettings({
      'GET /api/v1/settings': ok(settings()),
      'PUT /api/v1/settings': fail(422, 'number_already_used', 'INV-1049 was already issued: the next number must be at least 1050'),
    });
    await r.waitFor(() => r.findByTestId(Button, 'save-settings'));
    change(r.find(NumberInput, { name: 'nextNumber' }), 1002);
    r.findByTestId(Button, 'save-settings').trigger('onClick');
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('must be at least 1050'));
    expect(r.service.calls.find((c) => c.method === 'PUT')?.body).toMatchObject({
      numberPrefix: 'INV',
      nextNumber: 1002,
      defaultPaymentTerms: 'net_30',
      defaultPaymentMethods: ['card'],
      brand: { name: 'Acme', logoUrl: null },
    });
  });

  it('shows a load error as an alert', async () => {
    const r = renderSettings({ 'GET /api/v1/settings': fail(403, 'forbidden') });
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('permission'));
  });
});

describe('App home page', () => {
  const renderHome = (routes: Parameters<typeof mockService>[0]) => {
    const service = mockService(routes);
    const r = createRenderer('home');
    r.render(<HomeView />);
    return { ...r, service };
  };

  it('shows the overdue, due this month and paid views with their counts', async () => {
    const r = renderHome({
      'GET /api/v1/invoices?view=overdue&limit=200': ok(page([pastDue])),
      'GET /api/v1/invoices?view=due_this_month&limit=200': ok(page([invoice(), pastDue])),
      'GET /api/v1/invoices?view=paid&limit=200': ok(page([])),
    });
    expect(r.find(LoadingSpinner)).toBeTruthy();
    await r.waitFor(() => expect(r.findAll(Tab)).toHaveLength(3));
    expect(r.findAll(Tab).map((t) => t.props.title)).toEqual(['Overdue (1)', 'Due this month (2)', 'Paid (0)']);
    const overdueRows = r.find(Tab, { tabId: 'overdue' }).find(Table).findAll(TableRow).slice(1);
    expect(textOf(overdueRows[0]!)).toContain('INV-1002');
    expect(r.find(Tab, { tabId: 'paid' }).find(EmptyState)).toBeTruthy();
  });

  it('shows an error as an alert', async () => {
    const r = renderHome({ 'GET /api/v1/invoices?view=overdue&limit=200': 'network-error' });
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('could not be reached'));
  });
});
