/** The mock catalogue: invoices, quotes and settings as the service presents them. */
import type {
  AgingReport,
  ExportBatch,
  Invoice,
  Permissions,
  Quote,
  RecordLineItems,
  SavedView,
  Settings,
  StripeConnection,
  UserPermissions,
} from '@invoices/shared/lib/types';

export function invoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: 'inv-1',
    number: 'INV-1001',
    status: 'open',
    pastDue: false,
    daysPastDue: 0,
    currency: 'USD',
    invoiceDate: '2026-11-28',
    dueDate: '2026-12-28',
    paymentTerms: 'net_30',
    lineItems: [
      {
        id: 'line-1',
        name: 'Onboarding',
        description: '',
        sku: 'ONB-1',
        quantity: '1.5',
        unitPrice: 10000,
        discount: { type: 'percent', value: '10' },
        taxRate: '21',
        amount: 13500,
        discountAmount: 1500,
        taxAmount: 2835,
        hubspotLineItemId: '123',
        hubspotProductId: null,
      },
    ],
    adjustments: [],
    subtotal: 15000,
    discountTotal: 1500,
    feeTotal: 0,
    taxTotal: 2835,
    total: 16335,
    amountPaid: 0,
    balanceDue: 16335,
    creditAmount: 0,
    paymentMethods: ['card', 'ach'],
    allowPartialPayments: false,
    buyerComments: '',
    domain: null,
    hostedUrl: 'https://billing.example.com/i/tok123',
    billTo: { name: 'Ada Buyer', email: 'ada@example.com', companyName: 'Example BV' },
    associations: { contacts: [], companies: [], deals: [], quotes: [] },
    source: null,
    sourceChanged: false,
    warnings: [],
    roundingRule: 'line_half_away_from_zero',
    version: 2,
    createdAt: '2026-11-28T09:00:00.000Z',
    finalizedAt: '2026-11-28T10:00:00.000Z',
    paidAt: null,
    voidedAt: null,
    voidReason: null,
    ...overrides,
  };
}

export const draft = (overrides: Partial<Invoice> = {}) => invoice({ id: 'draft-1', number: null, status: 'draft', hostedUrl: null, version: 1, ...overrides });
export const pastDue = invoice({ id: 'inv-2', number: 'INV-1002', pastDue: true, daysPastDue: 5 });
export const partiallyPaid = invoice({ id: 'inv-3', number: 'INV-1003', amountPaid: 6335, balanceDue: 10000 });
export const paid = invoice({ id: 'inv-4', number: 'INV-1004', status: 'paid', amountPaid: 16335, balanceDue: 0 });
export const voided = invoice({ id: 'inv-5', number: 'INV-1005', status: 'void' });
export const yen = invoice({ id: 'inv-6', number: 'INV-1006', currency: 'JPY', total: 500, balanceDue: 500, lineItems: [] });

export const quotes: Quote[] = [
  { id: '7001', title: 'Q-7001', status: 'APPROVED', currency: 'USD', convertible: true },
  { id: '7002', title: 'Q-7002', status: 'DRAFT', currency: 'USD', convertible: false },
];

export const settings = (overrides: Partial<Settings> = {}): Settings => ({
  numberPrefix: 'INV',
  nextNumber: 1001,
  nextInvoiceNumber: 'INV-1001',
  timeZone: 'UTC',
  defaultCurrency: 'USD',
  defaultPaymentTerms: 'net_30',
  defaultPaymentMethods: ['card'],
  allowPartialPayments: false,
  brand: { name: 'Acme', logoUrl: null, address: null },
  domains: [],
  defaultDomain: null,
  accountingMappings: {
    dateFormat: 'DD/MM/YYYY',
    defaultAccountCode: '200',
    defaultTaxType: 'Tax Exempt (0%)',
    receivableAccount: 'Accounts Receivable',
    incomeAccount: 'Sales',
    taxAccount: 'Sales Tax Payable',
    bom: { 'xero-csv': false, 'qbo-csv': false, 'qbd-iif': false, csv: true },
    items: [],
  },
  version: 3,
  updatedAt: '2026-11-28T09:00:00.000Z',
  ...overrides,
});

export const page = <T>(data: T[]) => ({ data, nextCursor: null });

/** Effective permissions: everything allowed unless overridden (the shape in docs/api.md). */
export const permissions = (overrides: Partial<Permissions> = {}): Permissions => ({
  view: true,
  edit: true,
  finalize: true,
  void: true,
  record_payment: true,
  export: true,
  settings: true,
  ...overrides,
});

/** An invoice list page as the perm branch sends it: data, cursor and the caller's permissions. */
export const listPage = (data: Invoice[], opts: { permissions?: Partial<Permissions>; nextCursor?: string | null } = {}) => ({
  data,
  nextCursor: opts.nextCursor ?? null,
  permissions: permissions(opts.permissions),
});

export const stripe = (overrides: Partial<StripeConnection> = {}): StripeConnection => ({
  status: 'not_connected',
  accountId: null,
  chargesEnabled: false,
  connectedAt: null,
  available: true,
  ...overrides,
});

const DEFAULTS = permissions({ void: false, export: false, settings: false });

export const userPermissions = (overrides: Partial<UserPermissions> = {}): UserPermissions => ({
  userId: '42',
  superAdmin: false,
  createdAt: '2022-05-01T00:00:00.000Z',
  defaults: DEFAULTS,
  explicit: { void: true },
  effective: { ...DEFAULTS, void: true },
  ...overrides,
});

export const savedView = (overrides: Partial<SavedView> = {}): SavedView => ({
  id: '0b9f3c2e-1111-4a4a-8888-123456789abc',
  name: 'Big EUR balances',
  filters: { currency: 'EUR', minBalance: 100000 },
  createdAt: '2026-11-01T10:00:00.000Z',
  ...overrides,
});

const cell = (count: number, balance: number) => ({ count, balance });

export const aging: AgingReport = {
  asOf: '2026-11-28',
  timeZone: 'UTC',
  buckets: ['current', '1-30', '31-60', '61-90', '90+'],
  data: [
    {
      currency: 'EUR',
      buckets: { current: cell(1, 5000), '1-30': cell(0, 0), '31-60': cell(1, 20050), '61-90': cell(0, 0), '90+': cell(0, 0) },
      total: cell(2, 25050),
    },
    {
      currency: 'USD',
      buckets: { current: cell(2, 30000), '1-30': cell(1, 16335), '31-60': cell(0, 0), '61-90': cell(0, 0), '90+': cell(1, 999) },
      total: cell(4, 47334),
    },
  ],
};

export const exportBatch = (overrides: Partial<ExportBatch> = {}): ExportBatch => ({
  id: 'batch-1',
  format: 'xero-csv',
  filters: { from: '2026-11-01', to: '2026-11-30' },
  invoiceCount: 12,
  checksum: 'sha256:abc',
  createdBy: '42',
  createdAt: '2026-11-28T09:30:00.000Z',
  incremental: true,
  ...overrides,
});

/**
 * A deal's line items as GET /records/deals/{id}/line-items sends them: '123' is already on the
 * `draft()` fixture's first line, '124' and '125' are not.
 */
export const recordLines = (currency = 'USD'): RecordLineItems => ({
  currency,
  warnings: [],
  data: [
    {
      hubspotLineItemId: '123',
      hubspotProductId: null,
      name: 'Onboarding',
      description: '',
      sku: 'ONB-1',
      quantity: '1.5',
      unitPrice: 10000,
      discount: { type: 'percent', value: '10' },
      taxRate: '21',
    },
    {
      hubspotLineItemId: '124',
      hubspotProductId: '5001',
      name: 'Support plan',
      description: 'Monthly',
      sku: 'SUP-M',
      quantity: '2',
      unitPrice: 2500,
      discount: null,
      taxRate: null,
    },
    {
      hubspotLineItemId: '125',
      hubspotProductId: null,
      name: 'Training day',
      description: '',
      sku: null,
      quantity: '1',
      unitPrice: 80000,
      discount: { type: 'amount', value: '5000' },
      taxRate: '21',
    },
  ],
});
