import { body, errors, paramsOf, PUBLIC, redirect, type Paths } from '../openapi-parts.js';
import { callbackQuery } from './schema.js';

/** /oauth: the public install flow (HubSpot's consent page and its redirect back). */
export const oauthPaths: Paths = {
  '/oauth/install': {
    get: {
      summary: "To HubSpot's consent page with a signed, single-use state",
      ...PUBLIC,
      responses: { 302: redirect("HubSpot's consent page"), ...errors(500) },
    },
  },
  '/oauth/callback': {
    get: {
      summary: 'Completes the install: trades the code for tokens and records the portal',
      ...PUBLIC,
      parameters: paramsOf(callbackQuery, 'query'),
      responses: { 200: body('Installed page', 'text/html'), ...errors(400, 502) },
    },
  },
};
