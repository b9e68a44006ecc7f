import { primaryAssociationTypeId } from './association-types.js';
import { SANDBOX_USER } from './auth-store.js';
import type { SandboxTaxRate } from './routes-tax-rates.js';
import type { SandboxUser } from './routes-users.js';
import type { RecordRef, SandboxSeed } from './store.js';
import type { CrmObjectType } from './object-types.js';

/** The hub id the sandbox installs into when the authorize URL names none. */
export const SANDBOX_HUB_ID = 1234567;

/** Line item ids are `<parent id><3-digit position>`: deal 9001's second line is 9001002. */
function lineIds(parentId: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${parentId}${String(i + 1).padStart(3, '0')}`);
}

/**
 * Stable ids of the default seed (hub 1234567), for the README, demos and tests.
 *
 * - deals.usd (9001): 3 USD lines (one with a 10 % discount, one with tax rate group 301: 8.25 %),
 *   contacts ada + grace, primary company acme (lumiere also associated, unlabeled), and two
 *   quotes: published (7001, APPROVED, locked) and draft (7002, DRAFT), each with own lines.
 * - deals.eur (9002): 2 EUR lines (one with quantity 12.5), contact emilie, primary lumiere.
 * - deals.jpy (9003): 2 JPY lines (tax rate group 302, 10 %; and 399, which the tax rate library
 *   no longer has: a warning on the draft), contact kenji, primary acme.
 * - deals.hundredLines (9004): exactly 100 USD lines (one full association page, no paging).
 * - deals.manyLines (9005): 250 USD lines (association paging: 100 + 100 + 50).
 */
export const SANDBOX_SEED_IDS = Object.freeze({
  hubId: SANDBOX_HUB_ID,
  contacts: Object.freeze({ ada: '101', grace: '102', emilie: '103', kenji: '104' }),
  companies: Object.freeze({ acme: '201', lumiere: '202' }),
  deals: Object.freeze({ usd: '9001', eur: '9002', jpy: '9003', hundredLines: '9004', manyLines: '9005' }),
  quotes: Object.freeze({ published: '7001', draft: '7002' }),
  /** Tax rate groups (tax rates API); `deleted` is referenced by a line item but not in the library. */
  taxRates: Object.freeze({ salesTax: '301', consumptionTax: '302', deleted: '399' }),
  lineItems: Object.freeze({
    usd: lineIds('9001', 3),
    eur: lineIds('9002', 2),
    jpy: lineIds('9003', 2),
    hundredLines: lineIds('9004', 100),
    manyLines: lineIds('9005', 250),
    published: lineIds('7001', 3),
    draft: lineIds('7002', 2),
  }),
});

const ids = SANDBOX_SEED_IDS;
const CREATED = '2025-01-06T09:00:00.000Z';

type Props = Record<string, string>;

function line(name: string, sku: string, quantity: string, price: string, amount: string, currency: string, extra: Props = {}): Props {
  return { name, hs_sku: sku, quantity, price, amount, hs_line_item_currency_code: currency, ...extra };
}

/** Sums decimal strings with two decimals exactly (for deal and quote amounts). */
function sum2(values: string[]): string {
  const cents = values.reduce((acc, v) => {
    const [i = '0', f = ''] = v.split('.');
    return acc + BigInt(i) * 100n + BigInt((f + '00').slice(0, 2));
  }, 0n);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

/** The default content of hub 1234567. */
export function defaultSeed(): SandboxSeed {
  const records: SandboxSeed['records'] = [];
  const associations: SandboxSeed['associations'] = [];
  const rec = (type: CrmObjectType, id: string, properties: Props) => records.push({ type, id, properties, createdAt: CREATED });
  const link = (from: RecordRef, to: RecordRef, primary = false) =>
    associations.push({ from, to, ...(primary ? { typeId: primaryAssociationTypeId(from.type, to.type)! } : {}) });
  const ref = (type: CrmObjectType, id: string): RecordRef => ({ type, id });

  rec('contacts', ids.contacts.ada, {
    firstname: 'Ada',
    lastname: 'Lovelace',
    email: 'ada@acme.example',
    phone: '+1 415 555 0101',
    jobtitle: 'CFO',
    address: '100 Market Street',
    city: 'San Francisco',
    state: 'CA',
    zip: '94105',
    country: 'United States',
  });
  rec('contacts', ids.contacts.grace, {
    firstname: 'Grace',
    lastname: 'Hopper',
    email: 'grace@acme.example',
    jobtitle: 'Head of Procurement',
    address: '1 Navy Yard',
    city: 'Arlington',
    state: 'VA',
    zip: '22202',
    country: 'United States',
  });
  rec('contacts', ids.contacts.emilie, {
    firstname: 'Émilie',
    lastname: 'du Châtelet',
    email: 'emilie@lumiere.example',
    address: '7 Rue de Lille',
    city: 'Paris',
    zip: '75007',
    country: 'France',
  });
  rec('contacts', ids.contacts.kenji, {
    firstname: 'Kenji',
    lastname: 'Tanaka',
    email: 'kenji@sakura.example',
    address: '1-1 Marunouchi',
    address2: 'Chiyoda-ku',
    city: 'Tokyo',
    zip: '100-0005',
    country: 'Japan',
  });
  rec('companies', ids.companies.acme, {
    name: 'Acme Corporation',
    domain: 'acme.example',
    address: '100 Market Street',
    address2: 'Suite 300',
    city: 'San Francisco',
    state: 'CA',
    zip: '94105',
    country: 'United States',
  });
  rec('companies', ids.companies.lumiere, {
    name: 'Lumière SARL',
    domain: 'lumiere.example',
    address: '7 Rue de Lille',
    city: 'Paris',
    zip: '75007',
    country: 'France',
  });
  link(ref('contacts', ids.contacts.ada), ref('companies', ids.companies.acme), true);
  link(ref('contacts', ids.contacts.grace), ref('companies', ids.companies.acme), true);
  link(ref('contacts', ids.contacts.emilie), ref('companies', ids.companies.lumiere), true);
  link(ref('contacts', ids.contacts.kenji), ref('companies', ids.companies.acme), true);

  const deal = (
    id: string,
    name: string,
    currency: string,
    lines: Props[],
    lineIdList: string[],
    contacts: string[],
    primary: string,
    others: string[] = [],
  ) => {
    rec('deals', id, {
      dealname: name,
      deal_currency_code: currency,
      amount: sum2(lines.map((l) => l.amount!)),
      dealstage: 'contractsent',
      pipeline: 'default',
      closedate: '2025-03-31T00:00:00.000Z',
    });
    lines.forEach((p, i) => {
      rec('line_items', lineIdList[i]!, p);
      link(ref('deals', id), ref('line_items', lineIdList[i]!));
    });
    for (const c of contacts) link(ref('deals', id), ref('contacts', c));
    link(ref('deals', id), ref('companies', primary), true);
    for (const c of others) link(ref('deals', id), ref('companies', c));
  };

  const usdLines = [
    line('Implementation services (days)', 'IMPL-DAY', '10', '150.00', '1500.00', 'USD'),
    line('Platform licence, annual', 'LIC-ANNUAL', '1', '12000.00', '10800.00', 'USD', { hs_discount_percentage: '10' }),
    line('Hardware kit', 'HW-KIT', '3', '249.99', '749.97', 'USD', {
      hs_tax_rate_group_id: ids.taxRates.salesTax,
      description: 'Gateway, sensors and mounting',
    }),
  ];
  deal(ids.deals.usd, 'Acme platform rollout', 'USD', usdLines, ids.lineItems.usd, [ids.contacts.ada, ids.contacts.grace], ids.companies.acme, [
    ids.companies.lumiere,
  ]);

  const eurLines = [
    line('Strategy workshop (days)', 'WS-DAY', '5', '980.00', '4900.00', 'EUR'),
    line('Support hours', 'SUP-HOUR', '12.5', '45.50', '568.75', 'EUR'),
  ];
  deal(ids.deals.eur, 'Lumière consulting', 'EUR', eurLines, ids.lineItems.eur, [ids.contacts.emilie], ids.companies.lumiere);

  // The review hours point at a tax rate group that is no longer in the library: the draft copied
  // from this deal carries a warning for that line instead of a silently untaxed line.
  const jpyLines = [
    line('Translation package', 'L10N-PKG', '3', '120000', '360000', 'JPY', { hs_tax_rate_group_id: ids.taxRates.consumptionTax }),
    line('Review hours', 'L10N-HOUR', '40', '8500', '340000', 'JPY', { hs_tax_rate_group_id: ids.taxRates.deleted }),
  ];
  deal(ids.deals.jpy, 'Sakura localisation', 'JPY', jpyLines, ids.lineItems.jpy, [ids.contacts.kenji], ids.companies.acme);

  // Seat n costs (10 + n % 7).50: varied prices, exact sums.
  const seats = (count: number, qty: string) =>
    Array.from({ length: count }, (_, i) => {
      const price = `${10 + ((i + 1) % 7)}.50`;
      return line(`Seat licence #${i + 1}`, `SEAT-${i + 1}`, qty, price, sum2(Array(Number(qty)).fill(price)), 'USD');
    });
  deal(ids.deals.hundredLines, 'Acme seats (100 lines)', 'USD', seats(100, '1'), ids.lineItems.hundredLines, [ids.contacts.ada], ids.companies.acme);
  deal(ids.deals.manyLines, 'Acme seats (250 lines)', 'USD', seats(250, '2'), ids.lineItems.manyLines, [ids.contacts.grace], ids.companies.acme);

  const quote = (id: string, title: string, status: string, locked: boolean, lines: Props[], lineIdList: string[]) => {
    rec('quotes', id, {
      hs_title: title,
      hs_status: status,
      hs_locked: String(locked),
      hs_currency: 'USD',
      hs_expiration_date: '2025-04-30T00:00:00.000Z',
      hs_quote_amount: sum2(lines.map((l) => l.amount!)),
      hs_quote_number: `Q-${id}`,
      hs_public_url_key: `sandbox-${id}`,
    });
    lines.forEach((p, i) => {
      rec('line_items', lineIdList[i]!, p);
      link(ref('quotes', id), ref('line_items', lineIdList[i]!));
    });
    link(ref('deals', ids.deals.usd), ref('quotes', id));
    link(ref('quotes', id), ref('contacts', ids.contacts.ada));
    link(ref('quotes', id), ref('companies', ids.companies.acme));
  };
  quote(
    ids.quotes.published,
    'Acme platform rollout (signed)',
    'APPROVED',
    true,
    [
      line('Implementation services (days)', 'IMPL-DAY', '8', '150.00', '1200.00', 'USD'),
      line('Platform licence, annual', 'LIC-ANNUAL', '1', '12000.00', '10800.00', 'USD', { hs_discount_percentage: '10' }),
      line('Hardware kit', 'HW-KIT', '3', '249.99', '749.97', 'USD', { hs_tax_rate_group_id: ids.taxRates.salesTax }),
    ],
    ids.lineItems.published,
  );
  quote(
    ids.quotes.draft,
    'Acme platform rollout (revision)',
    'DRAFT',
    false,
    [
      line('Implementation services (days)', 'IMPL-DAY', '12', '150.00', '1800.00', 'USD'),
      line('Platform licence, annual', 'LIC-ANNUAL', '1', '12000.00', '10200.00', 'USD', { hs_discount_percentage: '15' }),
    ],
    ids.lineItems.draft,
  );

  return { hubId: SANDBOX_HUB_ID, records, associations, users: sandboxUsers(), taxRates: sandboxTaxRates() };
}

/** The portal's tax rate library (group 399, which a JPY line points at, is deliberately absent). */
export function sandboxTaxRates(): SandboxTaxRate[] {
  return [
    { id: ids.taxRates.salesTax, name: 'CA sales tax', label: 'Sales tax 8.25%', percentageRate: 8.25, active: true },
    { id: ids.taxRates.consumptionTax, name: 'JP consumption tax', label: 'Consumption tax 10%', percentageRate: 10, active: true },
  ];
}

/**
 * The portal's HubSpot users, one per default-permission case: user 1 is a super admin, 2 was
 * created before 2023-02-09 (view + edit by default), 3 after it (no invoice access by default).
 * The installing user (SANDBOX_USER) is a super admin too.
 */
export function sandboxUsers(): SandboxUser[] {
  return [
    { id: '1', email: 'admin@acme.example', superAdmin: true, createdAt: '2020-03-01T09:00:00.000Z' },
    { id: '2', email: 'legacy@acme.example', superAdmin: false, createdAt: '2022-05-01T00:00:00.000Z' },
    { id: '3', email: 'newcomer@acme.example', superAdmin: false, createdAt: '2024-01-15T12:00:00.000Z' },
    { id: String(SANDBOX_USER.id), email: SANDBOX_USER.email, superAdmin: true, createdAt: '2019-12-25T13:01:35.228Z' },
  ];
}
