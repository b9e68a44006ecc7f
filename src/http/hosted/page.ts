import type { Request, Response } from 'express';
import { getHostedInvoice } from '../../app/get-hosted-invoice.js';
import type { Deps } from '../../app/deps.js';
import { hostedView } from '../../domain/invoice-document.js';
import { currencyExponent, minorToDecimalString } from '../../domain/money/index.js';
import { setPageHeaders } from './headers.js';
import { renderHostedPage } from './template.js';

/** Decides whether the pay form is offered for a portal (online payments configured and connected). */
export type PaymentsAvailable = (portalId: number) => Promise<boolean>;

/** GET /i/:token — the buyer's page of a finalized invoice. */
export function pageHandler(deps: Deps, paymentsAvailable: PaymentsAvailable) {
  return async (req: Request<{ token: string }>, res: Response) => {
    const { invoice, today } = await getHostedInvoice(deps, req.params.token, req.hostname);
    const view = hostedView(invoice, today);
    const payable = invoice.status === 'open' && view.balanceMinor > 0 && (await paymentsAvailable(invoice.portalId));
    setPageHeaders(res);
    res.send(
      renderHostedPage(view, {
        token: invoice.publicToken,
        payForm: payable,
        balanceDecimal: minorToDecimalString(view.balanceMinor, view.currency),
        exponent: currencyExponent(view.currency),
        cancelled: req.query.cancelled === '1',
      }),
    );
  };
}
