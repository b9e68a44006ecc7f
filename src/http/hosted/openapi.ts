import { body, paramsOf, pathParam, PUBLIC, redirect, formBody, type Paths } from '../openapi-parts.js';
import { paidQuery, payForm, tokenParam } from '../stripe/schema.js';

const token = pathParam('token', tokenParam);
const page = (description: string) => body(description, 'text/html');
const tooMany = body('Too many requests from this client (header Retry-After)', 'text/plain');

/** /i/{token}: the buyer's hosted invoice page, its PDF and online payment (HTML, no script). */
export const hostedPaths: Paths = {
  '/i/{token}': {
    get: {
      summary:
        "The buyer's hosted invoice page. Answers only on a domain verified for the invoice's portal or this service's origin; " +
        'drafts, unknown tokens and other hosts get the same 404 page. Rate limited per client IP',
      ...PUBLIC,
      parameters: [token],
      responses: { 200: page('The invoice page'), 404: page('Not found page'), 429: tooMany },
    },
  },
  '/i/{token}/invoice.pdf': {
    get: {
      summary: 'The issued PDF (deterministic: the same invoice gives the same bytes). Rate limited per client IP',
      ...PUBLIC,
      parameters: [token],
      responses: {
        200: body('The PDF', 'application/pdf', {
          headers: {
            'X-Document-SHA256': { description: 'the SHA-256 stored when the invoice was issued', schema: { type: 'string' } },
            'X-Document-Verified': { description: 'whether these bytes match it', schema: { type: 'string', enum: ['true', 'false'] } },
          },
        }),
        404: page('Not found page'),
        429: tooMany,
      },
    },
  },
  '/i/{token}/pay': {
    post: {
      summary:
        'Buyer pays online: a Stripe Checkout Session for the balance, or for `amount` (major units, e.g. "150.00") when partial payments are allowed. ' +
        'Like the page, answers only on a verified domain of the portal or this service origin (else the unknown-token 404)',
      ...PUBLIC,
      parameters: [token],
      requestBody: formBody(payForm),
      responses: {
        303: redirect('To Stripe Checkout'),
        400: page('Page: bad amount'),
        404: page('Not found page'),
        409: page('Page: not payable online'),
        429: tooMany,
        502: page('Page: Stripe did not answer'),
      },
    },
  },
  '/i/{token}/paid': {
    get: {
      summary:
        'Where Stripe Checkout returns the buyer: payment received, ACH pending, being confirmed, or failed. ' +
        'Answers only on a verified domain of the portal or this service origin',
      ...PUBLIC,
      parameters: [token, ...paramsOf(paidQuery, 'query')],
      responses: { 200: page('The outcome page'), 404: page('Not found page'), 429: tooMany },
    },
  },
};
