import { describe, expect, it } from 'vitest';
import { newPortalId, type Api } from './helpers/app.js';
import { useTestApp } from './helpers/use-test-app.js';
import { invoiceIn, type InvoiceState } from './helpers/invoices.js';

const t = useTestApp({ clock: '2026-11-28T12:00:00Z' });
const { clock } = t;

type Listed = { id: string; number: string | null; status: string; dueDate: string; createdAt: string; pastDue: boolean; balanceDue: number };
type Page = { data: Listed[]; nextCursor: string | null };

const SORTS = ['-createdAt', 'createdAt', 'dueDate', '-dueDate'] as const;

/** The id of an invoice (16335 minor units with the default body) in `state`; `partly_paid` has a payment of `paid`. */
async function create(api: Api, fields: Record<string, unknown>, state: InvoiceState = 'draft', paid = 10000): Promise<string> {
  return (await invoiceIn(api, state, fields, state === 'partly_paid' ? { payment: { amount: paid } } : {})).id;
}

async function list(api: Api, query: string): Promise<Page> {
  const res = await api.get(`/api/v1/invoices?${query}`);
  expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body as Page;
}

/** Ids of the single page `query` returns (asserting there is no next page), sorted for set comparison. */
async function idSet(api: Api, query: string): Promise<string[]> {
  const page = await list(api, query);
  expect(page.nextCursor, query).toBeNull();
  return page.data.map((i) => i.id).sort();
}

/** Walks every page of `query` with `limit`; returns the pages. */
async function allPages(api: Api, query: string, limit: number): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(api, `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    pages.push(page);
    cursor = page.nextCursor;
    expect(pages.length).toBeLessThan(100);
  } while (cursor !== null);
  return pages;
}

function expectValidationError(res: { status: number; body: { error: { code: string; details: Array<{ path: string }> } } }, path: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body).toEqual({ error: { code: 'validation_failed', message: expect.any(String), details: expect.any(Array) } });
  expect(res.body.error.details.map((d) => d.path)).toContain(path);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sorted = (ids: string[]) => [...ids].sort();

describe('invoice list views', () => {
  /** Nine invoices around "today" 2026-11-28 (portal time zone UTC). */
  async function seedViews(api: Api) {
    return {
      draft: await create(api, { invoiceDate: '2026-11-28', paymentTerms: 'net_30' }), // due 12-28
      draftPastDue: await create(api, { invoiceDate: '2026-10-01', paymentTerms: 'net_15' }), // due 10-16, still a draft
      overdueLastMonth: await create(api, { invoiceDate: '2026-10-01', paymentTerms: 'net_30' }, 'open'), // due 10-31
      overdueThisMonth: await create(api, { invoiceDate: '2026-11-01', paymentTerms: 'net_15' }, 'open'), // due 11-16
      dueToday: await create(api, { invoiceDate: '2026-11-28', paymentTerms: 'due_on_receipt' }, 'open'), // due 11-28
      dueMonthEnd: await create(api, { invoiceDate: '2026-11-15', paymentTerms: 'net_15' }, 'open'), // due 11-30
      dueNextMonth: await create(api, { invoiceDate: '2026-11-28', paymentTerms: 'net_30' }, 'partly_paid'), // due 12-28
      paidLate: await create(api, { invoiceDate: '2026-10-01', paymentTerms: 'net_30' }, 'paid'), // due 10-31, paid
      voided: await create(api, { invoiceDate: '2026-11-01', paymentTerms: 'net_15' }, 'void'), // due 11-16, void
    };
  }

  it('each view holds exactly the invoices it names', async () => {
    const api = t.as(newPortalId());
    const s = await seedViews(api);
    expect(await idSet(api, 'view=all')).toEqual(sorted(Object.values(s)));
    expect(await idSet(api, '')).toEqual(sorted(Object.values(s)));
    expect(await idSet(api, 'view=draft')).toEqual(sorted([s.draft, s.draftPastDue]));
    expect(await idSet(api, 'view=open')).toEqual(sorted([s.overdueLastMonth, s.overdueThisMonth, s.dueToday, s.dueMonthEnd, s.dueNextMonth]));
    expect(await idSet(api, 'view=overdue')).toEqual(sorted([s.overdueLastMonth, s.overdueThisMonth]));
    expect(await idSet(api, 'view=due_this_month')).toEqual(sorted([s.overdueThisMonth, s.dueToday, s.dueMonthEnd]));
    expect(await idSet(api, 'view=paid')).toEqual([s.paidLate]);
    expect(await idSet(api, 'view=void')).toEqual([s.voided]);
  });

  it('marks past due invoices in the list exactly as the single-invoice endpoint does', async () => {
    const api = t.as(newPortalId());
    const s = await seedViews(api);
    const page = await list(api, 'view=all');
    for (const inv of page.data) {
      const one = await api.get(`/api/v1/invoices/${inv.id}`);
      expect(inv).toEqual(one.body);
    }
    const pastDue = page.data.filter((i) => i.pastDue).map((i) => i.id);
    expect(sorted(pastDue)).toEqual(sorted([s.overdueLastMonth, s.overdueThisMonth]));
    expect(page.data.find((i) => i.id === s.overdueLastMonth)).toMatchObject({ daysPastDue: 28 });
  });

  it("moves invoices into overdue as the portal's day changes", async () => {
    const api = t.as(newPortalId());
    const s = await seedViews(api);
    // 23:59 UTC on the due date: still not overdue.
    clock.set('2026-11-28T23:59:59Z');
    expect(await idSet(api, 'view=overdue')).toEqual(sorted([s.overdueLastMonth, s.overdueThisMonth]));
    clock.set('2026-11-29T00:00:00Z');
    expect(await idSet(api, 'view=overdue')).toEqual(sorted([s.overdueLastMonth, s.overdueThisMonth, s.dueToday]));
  });

  it('uses the portal time zone for "today" and "this month"', async () => {
    const api = t.as(newPortalId());
    const s = await seedViews(api);
    expect((await api.put('/api/v1/settings', { timeZone: 'Pacific/Auckland' })).status).toBe(200);
    // 12:00 UTC on 2026-11-28 is 01:00 on 2026-11-29 in Auckland: the invoice due 11-28 is overdue there.
    expect(await idSet(api, 'view=overdue')).toEqual(sorted([s.overdueLastMonth, s.overdueThisMonth, s.dueToday]));
    // 12:00 UTC on 2026-11-30 is already December in Auckland.
    clock.set('2026-11-30T12:00:00Z');
    expect(await idSet(api, 'view=due_this_month')).toEqual([s.dueNextMonth]);
    expect(await idSet(api, 'view=overdue')).toEqual(sorted([s.overdueLastMonth, s.overdueThisMonth, s.dueToday, s.dueMonthEnd]));
    // In Honolulu 12:00 UTC on 2026-11-30 is 02:00 on 2026-11-30: still November.
    expect((await api.put('/api/v1/settings', { timeZone: 'Pacific/Honolulu' })).status).toBe(200);
    expect(await idSet(api, 'view=due_this_month')).toEqual(sorted([s.overdueThisMonth, s.dueToday, s.dueMonthEnd]));
  });

  it('refuses an unknown view with 400 naming view', async () => {
    const api = t.as(newPortalId());
    expectValidationError(await api.get('/api/v1/invoices?view=late'), 'view');
  });
});

describe('invoice list filters', () => {
  async function seedFilters(api: Api) {
    return {
      // USD open, due 11-16, balance 16335, deal 301, contact 101, company 201.
      usdOpen: await create(api, { invoiceDate: '2026-11-01', paymentTerms: 'net_15' }, 'open'),
      // EUR open, due 12-10, balance 16335, deal 302, contact 102.
      eurOpen: await create(
        api,
        { currency: 'EUR', invoiceDate: '2026-11-10', paymentTerms: 'net_30', associations: { contacts: ['102'], companies: [], deals: ['302'] } },
        'open',
      ),
      // USD open, partly paid: balance 6335, due 12-05, deal 301.
      usdPartly: await create(api, { invoiceDate: '2026-11-20', paymentTerms: 'net_15' }, 'partly_paid'),
      // USD draft, due 12-28, balance 16335, only company 202.
      usdDraft: await create(api, { invoiceDate: '2026-11-28', paymentTerms: 'net_30', associations: { contacts: [], companies: ['202'], deals: [] } }),
      // USD paid, due 11-05, balance 0, deal 301.
      usdPaid: await create(api, { invoiceDate: '2026-11-05', paymentTerms: 'due_on_receipt' }, 'paid'),
    };
  }

  it('filters by status, alone and combined with a view', async () => {
    const api = t.as(newPortalId());
    const s = await seedFilters(api);
    expect(await idSet(api, 'status=open')).toEqual(sorted([s.usdOpen, s.eurOpen, s.usdPartly]));
    expect(await idSet(api, 'status=draft')).toEqual([s.usdDraft]);
    expect(await idSet(api, 'view=all&status=paid')).toEqual([s.usdPaid]);
    expect(await idSet(api, 'view=open&status=paid')).toEqual([]);
    expect(await idSet(api, 'view=overdue&status=open')).toEqual([s.usdOpen]);
    expectValidationError(await api.get('/api/v1/invoices?status=overdue'), 'status');
  });

  it('filters by currency', async () => {
    const api = t.as(newPortalId());
    const s = await seedFilters(api);
    expect(await idSet(api, 'currency=EUR')).toEqual([s.eurOpen]);
    expect(await idSet(api, 'currency=USD')).toEqual(sorted([s.usdOpen, s.usdPartly, s.usdDraft, s.usdPaid]));
    expect(await idSet(api, 'currency=GBP')).toEqual([]);
    expectValidationError(await api.get('/api/v1/invoices?currency=eur'), 'currency');
    expectValidationError(await api.get('/api/v1/invoices?currency=EURO'), 'currency');
  });

  it('filters by due date range, both ends inclusive', async () => {
    const api = t.as(newPortalId());
    const s = await seedFilters(api);
    expect(await idSet(api, 'dueFrom=2026-11-16&dueTo=2026-12-05')).toEqual(sorted([s.usdOpen, s.usdPartly]));
    expect(await idSet(api, 'dueFrom=2026-12-06')).toEqual(sorted([s.eurOpen, s.usdDraft]));
    expect(await idSet(api, 'dueTo=2026-11-05')).toEqual([s.usdPaid]);
    expect(await idSet(api, 'dueFrom=2026-12-10&dueTo=2026-12-10')).toEqual([s.eurOpen]);
    expect(await idSet(api, 'dueFrom=2026-12-11&dueTo=2026-12-10')).toEqual([]);
    expectValidationError(await api.get('/api/v1/invoices?dueFrom=2026-02-30'), 'dueFrom');
    expectValidationError(await api.get('/api/v1/invoices?dueTo=12/05/2026'), 'dueTo');
  });

  it('filters by minimum balance due (inclusive)', async () => {
    const api = t.as(newPortalId());
    const s = await seedFilters(api);
    expect(await idSet(api, 'minBalance=0')).toEqual(sorted(Object.values(s)));
    expect(await idSet(api, 'minBalance=1')).toEqual(sorted([s.usdOpen, s.eurOpen, s.usdPartly, s.usdDraft]));
    expect(await idSet(api, 'minBalance=6335')).toEqual(sorted([s.usdOpen, s.eurOpen, s.usdPartly, s.usdDraft]));
    expect(await idSet(api, 'minBalance=6336')).toEqual(sorted([s.usdOpen, s.eurOpen, s.usdDraft]));
    expect(await idSet(api, 'view=open&minBalance=16335')).toEqual(sorted([s.usdOpen, s.eurOpen]));
    expect(await idSet(api, 'minBalance=16336')).toEqual([]);
    for (const bad of ['-1', '1.5', 'abc']) expectValidationError(await api.get(`/api/v1/invoices?minBalance=${bad}`), 'minBalance');
  });

  it('filters by associated CRM record', async () => {
    const api = t.as(newPortalId());
    const s = await seedFilters(api);
    expect(await idSet(api, 'objectType=deals&objectId=301')).toEqual(sorted([s.usdOpen, s.usdPartly, s.usdPaid]));
    expect(await idSet(api, 'objectType=deals&objectId=302')).toEqual([s.eurOpen]);
    expect(await idSet(api, 'objectType=contacts&objectId=102')).toEqual([s.eurOpen]);
    expect(await idSet(api, 'objectType=companies&objectId=202')).toEqual([s.usdDraft]);
    expect(await idSet(api, 'objectType=companies&objectId=201')).toEqual(sorted([s.usdOpen, s.usdPartly, s.usdPaid]));
    // The same id under another object type does not match.
    expect(await idSet(api, 'objectType=contacts&objectId=301')).toEqual([]);
    expect(await idSet(api, 'objectType=quotes&objectId=301')).toEqual([]);
    expect(await idSet(api, 'view=open&objectType=deals&objectId=301')).toEqual(sorted([s.usdOpen, s.usdPartly]));
    expectValidationError(await api.get('/api/v1/invoices?objectType=tickets&objectId=1'), 'objectType');
    expectValidationError(await api.get('/api/v1/invoices?objectType=deals&objectId=abc'), 'objectId');
  });

  it('combines filters with AND', async () => {
    const api = t.as(newPortalId());
    const s = await seedFilters(api);
    expect(await idSet(api, 'currency=USD&status=open&minBalance=10000')).toEqual([s.usdOpen]);
    expect(await idSet(api, 'currency=USD&dueFrom=2026-11-06&objectType=deals&objectId=301')).toEqual(sorted([s.usdOpen, s.usdPartly]));
    expect(await idSet(api, 'currency=EUR&objectType=deals&objectId=301')).toEqual([]);
  });
});

describe('invoice search (q)', () => {
  async function seedSearch(api: Api) {
    const billTo = (name: string, email: string, companyName: string) => ({ billTo: { name, email, companyName } });
    const ada = await create(api, billTo('Ada Lovelace', 'ada@analytical.example', 'Analytical Engines Ltd'), 'open'); // INV-1001
    const grace = await create(api, billTo('Grace Hopper', 'grace@navy.example', '100% Cobol Inc'), 'open'); // INV-1002
    const alan = await create(api, billTo('Alan Turing', 'alan@bletchley.example', '1000 Machines'));
    const edsger = await create(api, billTo('Edsger_Dijkstra', 'ewd@tue.example', 'Structured BV'));
    const edsgerX = await create(api, billTo('EdsgerXDijkstra', 'ewd2@tue.example', 'Structured Too BV'));
    return { ada, grace, alan, edsger, edsgerX };
  }

  it('matches the invoice number, case-insensitively and in part', async () => {
    const api = t.as(newPortalId());
    const s = await seedSearch(api);
    expect(await idSet(api, 'q=INV-1002')).toEqual([s.grace]);
    expect(await idSet(api, 'q=inv-1001')).toEqual([s.ada]);
    expect(await idSet(api, 'q=1001')).toEqual([s.ada]);
    expect(await idSet(api, 'q=INV-')).toEqual(sorted([s.ada, s.grace]));
  });

  it('matches the billing contact name, email and company name', async () => {
    const api = t.as(newPortalId());
    const s = await seedSearch(api);
    expect(await idSet(api, 'q=lovelace')).toEqual([s.ada]);
    expect(await idSet(api, `q=${encodeURIComponent('  Grace Hopper  ')}`)).toEqual([s.grace]);
    expect(await idSet(api, 'q=navy.example')).toEqual([s.grace]);
    expect(await idSet(api, 'q=BLETCHLEY')).toEqual([s.alan]);
    expect(await idSet(api, 'q=analytical%20engines')).toEqual([s.ada]);
    expect(await idSet(api, 'q=Structured')).toEqual(sorted([s.edsger, s.edsgerX]));
    expect(await idSet(api, 'q=nobody')).toEqual([]);
  });

  it('matches %, _ and \\ literally, never as wildcards', async () => {
    const api = t.as(newPortalId());
    const s = await seedSearch(api);
    // Unescaped, "100%" would also match INV-1001, INV-1002 and "1000 Machines".
    expect(await idSet(api, `q=${encodeURIComponent('100%')}`)).toEqual([s.grace]);
    expect(await idSet(api, `q=${encodeURIComponent('%')}`)).toEqual([s.grace]);
    expect(await idSet(api, `q=${encodeURIComponent('% Cobol')}`)).toEqual([s.grace]);
    // Unescaped, "_" would match any character: EdsgerXDijkstra.
    expect(await idSet(api, `q=${encodeURIComponent('Edsger_')}`)).toEqual([s.edsger]);
    expect(await idSet(api, `q=${encodeURIComponent('_')}`)).toEqual([s.edsger]);
    expect(await idSet(api, `q=${encodeURIComponent('\\')}`)).toEqual([]);
    expect(await idSet(api, `q=${encodeURIComponent('\\%')}`)).toEqual([]);
  });

  it('combines q with views and refuses an over-long q', async () => {
    const api = t.as(newPortalId());
    const s = await seedSearch(api);
    expect(await idSet(api, 'view=draft&q=Structured')).toEqual(sorted([s.edsger, s.edsgerX]));
    expect(await idSet(api, 'view=open&q=Structured')).toEqual([]);
    expectValidationError(await api.get(`/api/v1/invoices?q=${'x'.repeat(201)}`), 'q');
  });

  it('refuses a q that PostgreSQL cannot compare (a NUL character) with 400 naming q', async () => {
    const api = t.as(newPortalId());
    await seedSearch(api);
    expectValidationError(await api.get(`/api/v1/invoices?q=${encodeURIComponent('Ada\u0000')}`), 'q');
  });
});

describe('invoice list sorting', () => {
  /** Five invoices created a minute apart, with due dates out of creation order and one tie. */
  async function seedSorted(api: Api) {
    const ids: string[] = [];
    const plan: Array<Record<string, unknown>> = [
      { invoiceDate: '2026-11-28', paymentTerms: 'net_30' }, // 12-28
      { invoiceDate: '2026-11-28', paymentTerms: 'net_15' }, // 12-13
      { invoiceDate: '2026-11-28', paymentTerms: 'net_30' }, // 12-28 (tie with the first)
      { invoiceDate: '2026-11-28', paymentTerms: 'due_on_receipt' }, // 11-28
      { invoiceDate: '2026-11-28', paymentTerms: 'net_60' }, // 2027-01-27
    ];
    for (const [i, fields] of plan.entries()) {
      clock.set(`2026-11-28T12:0${i}:00Z`);
      ids.push(await create(api, fields));
    }
    return ids as [string, string, string, string, string];
  }

  it('sorts by creation time, newest first by default', async () => {
    const api = t.as(newPortalId());
    const [a, b, c, d, e] = await seedSorted(api);
    const ids = async (q: string) => (await list(api, q)).data.map((i) => i.id);
    expect(await ids('')).toEqual([e, d, c, b, a]);
    expect(await ids('sort=-createdAt')).toEqual([e, d, c, b, a]);
    expect(await ids('sort=createdAt')).toEqual([a, b, c, d, e]);
  });

  it('sorts by due date both ways, breaking ties on id', async () => {
    const api = t.as(newPortalId());
    const [a, b, c, d, e] = await seedSorted(api);
    const ids = async (q: string) => (await list(api, q)).data.map((i) => i.id);
    const [lo, hi] = sorted([a, c]) as [string, string];
    expect(await ids('sort=dueDate')).toEqual([d, b, lo, hi, e]);
    expect(await ids('sort=-dueDate')).toEqual([e, hi, lo, b, d]);
  });

  it('refuses an unknown sort with 400 naming sort', async () => {
    const api = t.as(newPortalId());
    for (const sort of ['number', 'due_date', '+dueDate']) expectValidationError(await api.get(`/api/v1/invoices?sort=${encodeURIComponent(sort)}`), 'sort');
  });
});

describe('invoice list pagination', () => {
  /** Expected order of `invoices` under `sort`, ties broken on id in the sort's direction. */
  function expectedOrder(invoices: Listed[], sort: (typeof SORTS)[number]): string[] {
    const key = sort.endsWith('createdAt') ? 'createdAt' : 'dueDate';
    const dir = sort.startsWith('-') ? -1 : 1;
    return [...invoices].sort((x, y) => dir * (x[key] < y[key] ? -1 : x[key] > y[key] ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0)).map((i) => i.id);
  }

  async function expectEveryInvoiceOnce(api: Api, query: string, expectedIds: string[]) {
    const whole = await list(api, `${query}&limit=200`);
    expect(whole.nextCursor).toBeNull();
    expect(sorted(whole.data.map((i) => i.id))).toEqual(sorted(expectedIds));
    for (const sort of SORTS) {
      const pages = await allPages(api, `${query}&sort=${encodeURIComponent(sort)}`, 3);
      const sizes = pages.map((p) => p.data.length);
      expect(sizes, sort).toEqual(
        expectedIds.length % 3 === 0 ? Array(expectedIds.length / 3).fill(3) : [...Array(Math.floor(expectedIds.length / 3)).fill(3), expectedIds.length % 3],
      );
      expect(pages.at(-1)!.nextCursor, sort).toBeNull();
      for (const p of pages.slice(0, -1)) expect(typeof p.nextCursor, sort).toBe('string');
      const walked = pages.flatMap((p) => p.data.map((i) => i.id));
      expect(new Set(walked).size, sort).toBe(walked.length);
      expect(walked, sort).toEqual(expectedOrder(whole.data, sort));
    }
  }

  it('walks 7 invoices created at the same instant 3 at a time: each exactly once, in order, last cursor null', async () => {
    const api = t.as(newPortalId());
    const terms = ['net_30', 'net_15', 'net_30', 'due_on_receipt', 'net_60', 'net_15', 'net_30'];
    const ids: string[] = [];
    for (const paymentTerms of terms) ids.push(await create(api, { paymentTerms }));
    await expectEveryInvoiceOnce(api, 'view=all', ids);
  });

  it('walks 7 invoices created at different instants 3 at a time', async () => {
    const api = t.as(newPortalId());
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      // Milliseconds apart, so a cursor that lost precision would skip or repeat rows.
      clock.set(new Date(Date.parse('2026-11-28T12:00:00.000Z') + i * 7 + (i % 2)).toISOString());
      ids.push(await create(api, { invoiceDate: `2026-11-${String(20 + (i % 3)).padStart(2, '0')}` }));
    }
    await expectEveryInvoiceOnce(api, 'view=all', ids);
  });

  it('pages through a filtered view; a last full page still ends with nextCursor null', async () => {
    const api = t.as(newPortalId());
    const open: string[] = [];
    for (let i = 0; i < 6; i++) open.push(await create(api, { paymentTerms: i % 2 ? 'net_15' : 'net_30' }, 'open'));
    await create(api, {});
    await create(api, {}, 'void');
    await expectEveryInvoiceOnce(api, 'view=open', open);
  });

  it('keeps pages stable when invoices are added between pages', async () => {
    const api = t.as(newPortalId());
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.set(`2026-11-28T12:0${i}:00Z`);
      ids.push(await create(api, {}));
    }
    const first = await list(api, 'sort=createdAt&limit=3');
    clock.set('2026-11-28T13:00:00Z');
    const late = await create(api, {});
    const second = await list(api, `sort=createdAt&limit=3&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect([...first.data, ...second.data].map((i) => i.id)).toEqual([...ids, late]);
    expect(second.nextCursor).toBeNull();
  });

  it('defaults to a limit of 50 and accepts up to 200', async () => {
    const api = t.as(newPortalId());
    for (let i = 0; i < 3; i++) await create(api, {});
    expect((await list(api, '')).data).toHaveLength(3);
    expect((await list(api, 'limit=200')).data).toHaveLength(3);
    expect((await list(api, 'limit=1')).data).toHaveLength(1);
  });

  it('refuses a limit above 200, below 1 or not a whole number with 400 naming limit', async () => {
    const api = t.as(newPortalId());
    for (const limit of ['201', '1000', '0', '-1', '2.5', 'abc']) expectValidationError(await api.get(`/api/v1/invoices?limit=${limit}`), 'limit');
  });

  it('refuses a forged cursor with 400 naming cursor', async () => {
    const api = t.as(newPortalId());
    for (let i = 0; i < 3; i++) await create(api, {});
    const real = (await list(api, 'limit=1')).nextCursor!;
    const forged = [
      'not-a-cursor!',
      'AAAA',
      b64url({ created: '2026-11-28' }),
      b64url([1, 2]),
      b64url(['2026-11-28T12:00:00.000Z']),
      b64url(['x', 'y']),
      b64url(['2026-11-28T12:00:00.000Z', 'not-a-uuid']),
      b64url(['not-a-date', '7d0c2f4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f']),
      b64url(["2026-11-28' OR 1=1 --", '7d0c2f4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f']),
      `${real}x`.repeat(20),
    ];
    for (const cursor of forged) {
      const res = await api.get(`/api/v1/invoices?limit=1&cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, `cursor ${cursor}: ${JSON.stringify(res.body)}`).toBe(400);
      expectValidationError(res, 'cursor');
    }
    for (const cursor of forged) {
      const res = await api.get(`/api/v1/invoices?limit=1&sort=dueDate&cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, `sort=dueDate, cursor ${cursor}: ${JSON.stringify(res.body)}`).toBe(400);
      expectValidationError(res, 'cursor');
    }
  });
});

describe('tenant isolation of the list', () => {
  it("never shows another portal's invoices, whatever the view, filter, search or cursor", async () => {
    const owner = t.as(newPortalId());
    const other = t.as(newPortalId());
    const ownerIds: string[] = [];
    ownerIds.push(await create(owner, { invoiceDate: '2026-10-01' }, 'open'));
    ownerIds.push(await create(owner, { invoiceDate: '2026-11-01', paymentTerms: 'net_15' }, 'partly_paid'));
    ownerIds.push(await create(owner, {}, 'paid'));
    ownerIds.push(await create(owner, {}, 'void'));
    ownerIds.push(await create(owner, {}));
    const mine = await create(other, { billTo: { name: 'Other Buyer', email: 'other@example.com' }, associations: { deals: ['999'] } });

    const queries = [
      '',
      'view=all',
      'view=draft',
      'view=open',
      'view=overdue',
      'view=due_this_month',
      'view=paid',
      'view=void',
      'q=INV',
      'q=Ada',
      'currency=USD',
      'minBalance=0',
      'objectType=deals&objectId=301',
      'objectType=contacts&objectId=101',
      'dueFrom=2000-01-01&dueTo=2100-01-01',
    ];
    for (const q of queries) {
      const page = await list(other, q);
      const ids = page.data.map((i) => i.id);
      for (const id of ownerIds) expect(ids, q).not.toContain(id);
    }
    expect(await idSet(other, 'view=all')).toEqual([mine]);
    // The owner's cursor, replayed by the other portal, pages the other portal's rows only.
    const ownerPage = await list(owner, 'limit=1');
    expect(ownerPage.nextCursor).not.toBeNull();
    const res = await other.get(`/api/v1/invoices?limit=50&cursor=${encodeURIComponent(ownerPage.nextCursor!)}`);
    expect(res.status).toBe(200);
    for (const inv of res.body.data as Listed[]) expect(ownerIds).not.toContain(inv.id);
    // And the owner still sees all of its own.
    expect(await idSet(owner, 'view=all')).toEqual(sorted(ownerIds));
  });
});
