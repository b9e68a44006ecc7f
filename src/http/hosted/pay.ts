import express, { Router, type Request, type Response } from 'express';
import { checkoutResult } from '../../app/checkout-result.js';
import type { Deps } from '../../app/deps.js';
import { AppError } from '../../app/errors.js';
import { startCheckout } from '../../app/start-checkout.js';
import { minorToDecimalString } from '../../domain/money/index.js';
import { sendPage } from '../stripe/pages.js';
import { paidQuery, payForm, tokenParam } from '../stripe/schema.js';

const STATUS: Record<string, number> = { validation_failed: 400, not_found: 404, upstream_error: 502 };

/**
 * The buyer's side of online payment, next to the hosted invoice page: POST /i/{token}/pay sends
 * the buyer to Stripe Checkout (303), GET /i/{token}/paid is where Stripe sends them back.
 * Answers are HTML pages (the buyer is in a browser), never JSON; the URLs carry only the token.
 * Both answer only on hosts that serve the invoice's portal, the same check as the page's.
 */
export function hostedPayRouter(deps: Deps): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });

  r.post('/i/:token/pay', form, async (req, res) => {
    const token = tokenOf(req, res);
    if (!token) return;
    try {
      const body = payForm.parse(req.body ?? {});
      const url = await startCheckout(deps, token, body.amount, req.hostname);
      res.set('Cache-Control', 'no-store').redirect(303, url);
    } catch (err) {
      problemPage(res, err, token);
    }
  });

  r.get('/i/:token/paid', async (req, res) => {
    const token = tokenOf(req, res);
    if (!token) return;
    const q = paidQuery.safeParse(req.query);
    if (!q.success) {
      sendPage(res, 404, 'Payment not found', ['This link does not name a payment of this invoice.'], back(token));
      return;
    }
    try {
      const result = await checkoutResult(deps, token, q.data.session_id, req.hostname);
      const amount = `${minorToDecimalString(result.amount, result.currency)} ${result.currency}`;
      const lines = {
        paid: ['Payment received', `Thank you: your payment of ${amount} for invoice ${result.invoiceNumber} has been received.`],
        pending: [
          'Payment pending',
          `Your bank payment of ${amount} for invoice ${result.invoiceNumber} is on its way. ACH debits take a few business days; the invoice shows it as paid once it has cleared.`,
        ],
        processing: [
          'Payment being confirmed',
          `Thank you: your payment of ${amount} for invoice ${result.invoiceNumber} is being confirmed. Refresh this page in a moment.`,
        ],
        failed: [
          'Payment failed',
          `Your bank payment of ${amount} for invoice ${result.invoiceNumber} did not go through. You can try again from the invoice.`,
        ],
      }[result.state];
      sendPage(res, 200, lines[0]!, [lines[1]!], back(token));
    } catch (err) {
      problemPage(res, err, token);
    }
  });
  return r;
}

function tokenOf(req: Request, res: Response): string | null {
  const token = tokenParam.safeParse(req.params.token);
  if (token.success) return token.data;
  sendPage(res, 404, 'Invoice not found', ['This invoice link is not valid.']);
  return null;
}

function back(token: string) {
  return { href: `/i/${token}`, text: 'Back to the invoice' };
}

function problemPage(res: Response, err: unknown, token: string): void {
  if ((err as { name?: string }).name === 'ZodError') {
    sendPage(res, 400, 'The payment could not start', ['Enter the amount as a number, like 150.00.'], back(token));
    return;
  }
  if (err instanceof AppError) {
    const e = err;
    const code = e.code;
    sendPage(res, STATUS[code] ?? 409, code === 'not_found' ? 'Invoice not found' : 'The payment could not start', [e.message], back(token));
    return;
  }
  throw err;
}
