import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { renderInvoicePdf } from '../documents/invoice-pdf.js';
import type { CrmPort } from './ports/crm.js';
import type { DomainResolverPort } from './ports/domain-resolver.js';
import type { HubSpotTokenProvider } from './ports/hubspot-tokens.js';
import type { HubSpotOAuthPort, InstallScopes } from './ports/hubspot-oauth.js';
import type { HubSpotUsersPort } from './ports/hubspot-users.js';
import type { JobQueue } from './ports/job-queue.js';
import type { StripePort } from './ports/stripe.js';
import type { TaxRatesPort } from './ports/tax-rates.js';

/** What use cases and routes need from the outside world; tests build their own. */
export interface Deps {
  db: Knex;
  config: Config;
  logger: Logger;
  /** The current instant; injectable so tests can move time. */
  clock: () => Date;
  /** HubSpot CRM reads and writes (the HubSpot adapter, the local sandbox, or a test fake). */
  crm: CrmPort;
  /**
   * HubSpot's tax rate library (line items' `hs_tax_rate_group_id`). Without it a line with a tax
   * rate group is copied untaxed with a warning on the draft, never silently.
   */
  taxRates?: TaxRatesPort;
  /**
   * HubSpot OAuth, install scopes and the token provider. Build it once per process and share it
   * with the CRM adapter, so token refreshes are single-flight; the composition root (src/main.ts)
   * builds it, and createApp requires it.
   */
  hubspot?: HubSpotServices;
  /**
   * Background jobs. Use cases that record work for a job (the HubSpot invoice mirror) nudge the
   * queue after commit when it is present; without it the periodic sweep picks the work up.
   */
  jobs?: JobQueue;
  /**
   * DNS TXT lookups that verify invoice domains (main.ts builds the node:dns adapter; tests inject
   * a fake). Without it, verifying a domain answers 503 `dns_unavailable`: never verified blindly.
   */
  resolver?: DomainResolverPort;
  /** Stripe (Connect, Checkout, webhooks); main.ts builds the adapter when the Stripe keys are configured. */
  stripe?: StripePort;
  /**
   * The invoice PDF renderer (default: src/documents/invoice-pdf.ts). Tests inject a slow or
   * observable one, e.g. to show that a finalize renders after its commit.
   */
  renderPdf?: typeof renderInvoicePdf;
}

/** The HubSpot pieces shared by the install routes, the auth middleware and the CRM adapter. */
export interface HubSpotServices {
  oauth: HubSpotOAuthPort;
  /** The scopes app.json declares, read at startup. */
  installScopes: InstallScopes;
  /** `tokens.accessTokenFor` is what the CRM adapter takes as `accessToken`. */
  tokens: HubSpotTokenProvider;
  /** HubSpot user facts (super admin, creation date) for the permission defaults. */
  users: HubSpotUsersPort;
}
