/**
 * An accounting package (Xero, QuickBooks Online) as the sync use cases see it: OAuth 2.0
 * connection, then the few documents the ledger posts there. One adapter per vendor implements it
 * (src/integrations/xero, src/integrations/qbo); use cases never see a vendor's wire format.
 *
 * Every write carries an idempotency key that the adapter sends the way the vendor documents it
 * (Xero: `Idempotency-Key` header; QBO: `requestid` query parameter), and the sync looks a
 * document up by its number before creating it, so a crash between the vendor's answer and our
 * commit never creates a second one.
 */

/** The accounting packages the service syncs to. */
export const ACCOUNTING_TARGETS = ['xero', 'qbo'] as const;
export type AccountingTarget = (typeof ACCOUNTING_TARGETS)[number];

/** A token pair as the vendor's token endpoint returns it. */
export interface AccountingTokens {
  accessToken: string;
  /** Both vendors rotate refresh tokens: the new one replaces the old, atomically. */
  refreshToken: string;
  expiresInSeconds: number;
}

/** The organisation (Xero tenant) or company (QBO realm) a connection posts to. */
export interface AccountingTenant {
  /** Xero `tenantId` from `/connections`; QBO `realmId` from the redirect. */
  id: string;
  name: string;
}

/** The OAuth side of one vendor. */
export interface AccountingOAuthPort {
  authorizeUrl(state: string, redirectUri: string): string;
  /** Trades the redirect's code for tokens. */
  exchangeCode(code: string, redirectUri: string): Promise<AccountingTokens>;
  /** Trades a refresh token for a new pair. Throws AccountingAuthError when the grant is gone. */
  refresh(refreshToken: string): Promise<AccountingTokens>;
  /**
   * The tenants the tokens reach. Xero: `GET /connections`. QBO: the redirect's `realmId`
   * (passed in `redirectParams`) with the company's name.
   */
  tenants(accessToken: string, redirectParams: Record<string, string>): Promise<AccountingTenant[]>;
  /** Revokes the grant (disconnect); best effort. */
  revoke(refreshToken: string): Promise<void>;
}

/** Who a call is for: the access token and the tenant it posts to. */
export interface AccountingSession {
  accessToken: string;
  tenantId: string;
}

/** A tax rate as the vendor lists it (Xero `/TaxRates`, QBO `TaxCode` with its `TaxRate`s). */
export interface VendorTaxRate {
  /** Xero `TaxType`; QBO TaxCode `Id`. */
  code: string;
  name: string;
  /** Effective rate as a decimal string, `"21"` for 21 %. */
  rate: string;
  active: boolean;
}

/** An account payments can be deposited to (Xero bank account code/id; QBO Account Id). */
export interface VendorAccount {
  code: string;
  name: string;
}

/** The customer an invoice is for. */
export interface SyncContact {
  name: string;
  email: string | null;
}

/** One line as posted: amounts in minor units of the invoice's currency. */
export interface SyncLine {
  description: string;
  sku: string | null;
  /** Decimal string. */
  quantity: string;
  unitAmount: number;
  /** The line's discount, already in minor units (posted on the line). */
  discountAmount: number;
  /** Net of the line after its discount and its share of invoice discounts. */
  netAmount: number;
  taxAmount: number;
  /** The vendor's tax code for this line (mapped per rate in settings). */
  taxCode: string;
  /** Account code (Xero) or income account / item (QBO) from the mappings. */
  accountCode: string;
}

/** An invoice as posted. */
export interface SyncInvoice {
  number: string;
  currency: string;
  /** `YYYY-MM-DD`. */
  issueDate: string;
  dueDate: string;
  contactId: string;
  lines: SyncLine[];
  subtotal: number;
  taxTotal: number;
  total: number;
  reference: string | null;
}

/** A document as the vendor holds it. */
export interface ExternalDocument {
  id: string;
  number: string | null;
  /** Vendor status, e.g. Xero `AUTHORISED`/`VOIDED`, QBO derived. */
  status: string;
  total: number;
}

/** A payment applied to one invoice. */
export interface SyncPayment {
  invoiceExternalId: string;
  amount: number;
  currency: string;
  /** `YYYY-MM-DD`. */
  date: string;
  /** Deposit account mapped for the payment method. */
  accountCode: string;
  reference: string;
}

/** A refund: a credit note (Xero) / refund receipt (QBO) against the invoice's customer. */
export interface SyncRefund {
  invoiceExternalId: string;
  contactId: string;
  number: string;
  amount: number;
  currency: string;
  date: string;
  accountCode: string;
  taxCode: string;
  reference: string;
}

/** The API side of one vendor. */
export interface AccountingApiPort {
  taxRates(s: AccountingSession): Promise<VendorTaxRate[]>;
  accounts(s: AccountingSession): Promise<VendorAccount[]>;
  /** By email first, then by exact name; null when none. */
  findContact(s: AccountingSession, c: SyncContact): Promise<string | null>;
  createContact(s: AccountingSession, c: SyncContact, idempotencyKey: string): Promise<string>;
  findInvoiceByNumber(s: AccountingSession, number: string): Promise<ExternalDocument | null>;
  createInvoice(s: AccountingSession, inv: SyncInvoice, idempotencyKey: string): Promise<ExternalDocument>;
  createPayment(s: AccountingSession, p: SyncPayment, idempotencyKey: string): Promise<{ id: string }>;
  /** Voids an invoice without payments. */
  voidInvoice(s: AccountingSession, externalId: string, idempotencyKey: string): Promise<void>;
  createRefund(s: AccountingSession, r: SyncRefund, idempotencyKey: string): Promise<{ id: string }>;
}

/** The grant is gone (revoked, expired refresh token): the connection is parked until reconnected. */
export class AccountingAuthError extends Error {
  override name = 'AccountingAuthError';
}

/** The vendor asked us to slow down; retry no sooner than `retryAfterSeconds`. */
export class AccountingRateLimitError extends Error {
  override name = 'AccountingRateLimitError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The vendor refused the document (validation): recorded on the invoice, not retried until changed or retried by hand. */
export class AccountingValidationError extends Error {
  override name = 'AccountingValidationError';
}
