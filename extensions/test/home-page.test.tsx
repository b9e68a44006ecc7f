import {
  Alert,
  BarChart,
  Button,
  DateInput,
  EmptyState,
  Input,
  LoadingButton,
  LoadingSpinner,
  Select,
  Tab,
  Table,
  TableRow,
  Tabs,
  Text,
  Toggle,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HomeView } from '../src/app/pages/components/HomeView';
import { aging, exportBatch, invoice, listPage, page, pastDue, savedView } from './fixtures';
import { fail, mockService, ok, type Reply } from './mock-service';
import { change, textOf } from './text';

const OVERDUE = 'GET /api/v1/invoices?view=overdue&limit=200';
const DUE = 'GET /api/v1/invoices?view=due_this_month&limit=200';
const PAID = 'GET /api/v1/invoices?view=paid&limit=200';
const AGING = 'GET /api/v1/reports/aging';
const VIEWS = 'GET /api/v1/views';
const BATCHES = 'GET /api/v1/exports/batches';

function renderHome(routes: Record<string, Reply> = {}) {
  const service = mockService({
    [OVERDUE]: ok(listPage([pastDue])),
    [DUE]: ok(listPage([invoice(), pastDue])),
    [PAID]: ok(listPage([])),
    [AGING]: ok(aging),
    [VIEWS]: ok(page([])),
    [BATCHES]: ok(page([])),
    ...routes,
  });
  const r = createRenderer('home');
  r.render(<HomeView />);
  return { ...r, service };
}

const alertTitled = (r: ReturnType<typeof renderHome>, title: string) => r.findAll(Alert).find((a) => a.props.title === title);
const posts = (r: ReturnType<typeof renderHome>, path: string) => r.service.calls.filter((c) => c.method === 'POST' && c.path === path).map((c) => c.body);

afterEach(() => vi.restoreAllMocks());

describe('App home page: views', () => {
  it('shows the overdue, due this month and paid views with their counts', async () => {
    const r = renderHome();
    expect(r.find(LoadingSpinner)).toBeTruthy();
    await r.waitFor(() => expect(r.findAll(Tab).length).toBeGreaterThanOrEqual(3));
    expect(r.findAll(Tab).map((t) => t.props.title)).toEqual(['Overdue (1)', 'Due this month (2)', 'Paid (0)', '+ New view']);
    const overdueRows = r.find(Tab, { tabId: 'overdue' }).findAll(Table).at(-1)!.findAll(TableRow).slice(1);
    expect(textOf(overdueRows[0]!)).toContain('INV-1002');
    expect(textOf(overdueRows[0]!)).toContain('5 days late');
    expect(r.find(Tab, { tabId: 'paid' }).find(EmptyState)).toBeTruthy();
  });

  it('shows an error as an alert', async () => {
    const r = renderHome({ [OVERDUE]: 'network-error' });
    await r.waitFor(() => expect(textOf(r.find(Alert))).toContain('could not be reached'));
  });

  it('charts the aging per currency with balances in major units, and shows exact amounts', async () => {
    const r = renderHome();
    await r.waitFor(() => r.findByTestId(BarChart, 'aging-chart-USD'));
    expect(r.findByTestId(BarChart, 'aging-chart-USD').props.data).toEqual([
      { bucket: 'Not yet due', balance: 300, count: 2 },
      { bucket: '1-30 days', balance: 163.35, count: 1 },
      { bucket: '31-60 days', balance: 0, count: 0 },
      { bucket: '61-90 days', balance: 0, count: 0 },
      { bucket: 'Over 90 days', balance: 9.99, count: 1 },
    ]);
    expect(r.findByTestId(BarChart, 'aging-chart-USD').props.axes).toMatchObject({
      x: { field: 'bucket', fieldType: 'category' },
      y: { field: 'balance', fieldType: 'linear' },
    });
    expect(r.findByTestId(BarChart, 'aging-chart-EUR').props.data).toHaveLength(5);
    expect(textOf(r.findByTestId(Text, 'overdue-USD'))).toBe('2 overdue, USD 173.34 of USD 473.34 open');
    expect(textOf(r.findByTestId(Text, 'overdue-EUR'))).toBe('1 overdue, EUR 200.50 of EUR 250.50 open');
  });

  it('keeps the views when the aging report fails', async () => {
    const r = renderHome({ [AGING]: fail(500, 'internal', 'boom') });
    await r.waitFor(() => expect(alertTitled(r, 'The aging report could not be loaded')).toBeTruthy());
    expect(r.findAll(Tab)).toHaveLength(4);
  });

  it("shows the user's own views as tabs with their filtered invoices, and deletes one after confirmation", async () => {
    const view = savedView();
    const r = renderHome({
      [VIEWS]: ok(page([view])),
      'GET /api/v1/invoices?currency=EUR&minBalance=100000&limit=200': ok(listPage([invoice({ id: 'eur-1', number: 'INV-2001', currency: 'EUR' })])),
      [`DELETE /api/v1/views/${view.id}`]: { status: 204 },
    });
    await r.waitFor(() => r.find(Tab, { tabId: view.id }));
    expect(r.find(Tab, { tabId: view.id }).props.title).toBe('Big EUR balances');
    await r.waitFor(() => expect(textOf(r.find(Tab, { tabId: view.id }))).toContain('INV-2001'));
    expect(textOf(r.find(Tab, { tabId: view.id }))).toContain('currency: EUR, minBalance: 100000');
    r.service.on(VIEWS, ok(page([])));
    r.findByTestId(Button, `delete-view-${view.id}-confirm`).trigger('onClick');
    await r.waitFor(() => expect(r.maybeFind(Tab, { tabId: view.id })).toBeNull());
    expect(r.service.calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
    expect(r.find(Tabs).props.selected).toBe('overdue');
  });

  it('creates a view from a name and filters, checking them first', async () => {
    const created = savedView({
      id: '11111111-2222-4333-8444-555555555555',
      name: 'Open USD',
      filters: { status: 'open', currency: 'USD', minBalance: 50000 },
    });
    const r = renderHome({
      'POST /api/v1/views': { status: 201, body: created },
      'GET /api/v1/invoices?status=open&currency=USD&minBalance=50000&limit=200': ok(listPage([])),
    });
    await r.waitFor(() => r.findByTestId(Button, 'save-view'));
    change(r.find(Input, { name: 'viewMinBalance' }), '500.00');
    r.findByTestId(Button, 'save-view').trigger('onClick');
    await r.waitFor(() => expect(r.find(Input, { name: 'viewName' }).props.validationMessage).toBe('Give the view a name.'));
    expect(r.find(Input, { name: 'viewMinBalance' }).props.validationMessage).toBe('Pick a currency to filter by balance.');
    expect(posts(r, '/api/v1/views')).toEqual([]);
    change(r.find(Input, { name: 'viewName' }), 'Open USD');
    change(r.find(Input, { name: 'viewCurrency' }), 'usd');
    change(r.find(Select, { name: 'viewStatus' }), 'open');
    change(r.find(DateInput, { name: 'viewDueFrom' }), { year: 2026, month: 11, date: 31 });
    change(r.find(DateInput, { name: 'viewDueTo' }), { year: 2026, month: 11, date: 1 });
    r.findByTestId(Button, 'save-view').trigger('onClick');
    await r.waitFor(() => expect(r.find(DateInput, { name: 'viewDueTo' }).props.validationMessage).toBe('"Due until" cannot be before "due from".'));
    change(r.find(DateInput, { name: 'viewDueFrom' }), null);
    change(r.find(DateInput, { name: 'viewDueTo' }), null);
    r.service.on(VIEWS, ok(page([created])));
    r.findByTestId(Button, 'save-view').trigger('onClick');
    await r.waitFor(() => expect(posts(r, '/api/v1/views')).toHaveLength(1));
    expect(posts(r, '/api/v1/views')[0]).toEqual({ name: 'Open USD', filters: { status: 'open', currency: 'USD', minBalance: 50000 } });
    await r.waitFor(() => expect(r.find(Tabs).props.selected).toBe(created.id));
  });

  it('shows the service refusing a view', async () => {
    const r = renderHome({
      'POST /api/v1/views': fail(400, 'validation_failed', 'Invalid filters', [{ path: 'filters.currency', message: 'must be an ISO 4217 code in capitals' }]),
    });
    await r.waitFor(() => r.findByTestId(Button, 'save-view'));
    change(r.find(Input, { name: 'viewName' }), 'Mine');
    r.findByTestId(Button, 'save-view').trigger('onClick');
    await r.waitFor(() => expect(textOf(alertTitled(r, 'The view was not saved')!)).toContain('filters.currency: must be an ISO 4217 code'));
  });
});

describe('App home page: exports', () => {
  const url = 'https://invoices.example.com/exports/download/tok.abc';

  it('every format button asks for a signed link and offers it in a new tab', async () => {
    const r = renderHome({ 'POST /api/v1/exports/links': ok({ url, expiresAt: '2026-11-28T10:05:00.000Z' }) });
    await r.waitFor(() => r.findByTestId(LoadingButton, 'export-xero-csv'));
    expect(['xero-csv', 'qbo-csv', 'qbd-iif', 'csv', 'json'].map((f) => r.findByTestId(LoadingButton, `export-${f}`).text)).toEqual([
      'Xero CSV',
      'QuickBooks Online CSV',
      'QuickBooks Desktop IIF',
      'CSV',
      'JSON',
    ]);
    r.findByTestId(LoadingButton, 'export-xero-csv').trigger('onClick');
    await r.waitFor(() => r.findByTestId(Button, 'export-download'));
    expect(r.findByTestId(Button, 'export-download').props.href).toEqual({ url, external: true });
    expect(r.findByTestId(Button, 'export-download').text).toBe('Download Xero CSV');
    expect(textOf(r.getRootNode())).toContain('until 10:05 UTC');

    change(r.find(Toggle, { name: 'incremental' }), false);
    change(r.find(DateInput, { name: 'exportFrom' }), { year: 2026, month: 10, date: 1 });
    change(r.find(DateInput, { name: 'exportTo' }), { year: 2026, month: 10, date: 30 });
    r.findByTestId(LoadingButton, 'export-qbd-iif').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'export-download').text).toBe('Download QuickBooks Desktop IIF'));
    expect(posts(r, '/api/v1/exports/links')).toEqual([
      { format: 'xero-csv', incremental: true },
      { format: 'qbd-iif', incremental: false, from: '2026-11-01', to: '2026-11-30' },
    ]);
  });

  it('shows a refused export as an alert', async () => {
    const r = renderHome({ 'POST /api/v1/exports/links': fail(403, 'forbidden', 'missing permission export') });
    await r.waitFor(() => r.findByTestId(LoadingButton, 'export-json'));
    r.findByTestId(LoadingButton, 'export-json').trigger('onClick');
    await r.waitFor(() => expect(textOf(alertTitled(r, 'The export could not be prepared')!)).toContain('You do not have permission'));
    expect(r.maybeFind(Button, { testId: 'export-download' })).toBeNull();
  });

  it('lists recent export batches', async () => {
    const r = renderHome({ [BATCHES]: ok(page([exportBatch(), exportBatch({ id: 'batch-2', format: 'json', invoiceCount: 3, incremental: false })])) });
    await r.waitFor(() => r.findByTestId(Table, 'export-batches'));
    const rows = r.findByTestId(Table, 'export-batches').findAll(TableRow).slice(1);
    expect(rows.map((row) => textOf(row))).toEqual(['2026-11-28 09:30 UTC Xero CSV 12 Incremental', '2026-11-28 09:30 UTC JSON 3 Full']);
  });

  it('hides exports from a user without the export permission', async () => {
    const r = renderHome({ [OVERDUE]: ok(listPage([pastDue], { permissions: { export: false } })) });
    await r.waitFor(() => r.findAll(Tab));
    expect(r.maybeFind(LoadingButton, { testId: 'export-csv' })).toBeNull();
    expect(r.service.calls.some((c) => c.path === '/api/v1/exports/batches')).toBe(false);
  });
});
