import { body, errors, json, noContent, paramsOf, PUBLIC, type Paths } from '../openapi-parts.js';
import { stripeConnectResponse, stripeConnectionResponse } from './response.js';
import { stripeCallbackQuery } from './schema.js';

/** /api/v1/stripe: the portal's Stripe connection (Connect OAuth, Standard), and Stripe's redirect back. */
export const stripePaths: Paths = {
  '/api/v1/stripe/connect': {
    post: {
      summary: "Start connecting the portal's Stripe account: the URL of Stripe's page, with a signed single-use state (needs settings)",
      responses: { 200: json("Stripe's page", stripeConnectResponse), ...errors(401, 403, 422) },
    },
  },
  '/api/v1/stripe/connection': {
    get: {
      summary: "The portal's Stripe connection (needs settings)",
      responses: { 200: json('The connection', stripeConnectionResponse), ...errors(401, 403) },
    },
    delete: {
      summary: 'Disconnect; deauthorizes the platform at Stripe (needs settings)',
      responses: { 204: noContent('Disconnected'), ...errors(401, 403, 502) },
    },
  },
  '/stripe/oauth/callback': {
    get: {
      summary: "Stripe's redirect after connecting (a code or an error, and the state)",
      ...PUBLIC,
      parameters: paramsOf(stripeCallbackQuery, 'query'),
      responses: {
        200: body('Page: connected', 'text/html'),
        400: body('Page saying why not', 'text/html'),
        502: body('Page: Stripe did not answer', 'text/html'),
      },
    },
  },
};
