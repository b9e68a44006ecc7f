import type { StripeConnectionView } from '../../app/stripe-connection.js';
import type { StripeConnectionResponse } from './response.js';

/** GET /api/v1/stripe/connection as docs/api.md defines it. */
export function presentStripeConnection(c: StripeConnectionView): StripeConnectionResponse {
  return {
    status: c.status,
    accountId: c.accountId,
    chargesEnabled: c.chargesEnabled,
    connectedAt: c.connectedAt?.toISOString() ?? null,
    available: c.available,
  };
}
