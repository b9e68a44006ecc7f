import { errors, json, jsonBody, PUBLIC, type Paths } from '../openapi-parts.js';
import { hubspotWebhookBody } from './hubspot.js';
import { hubspotWebhookResponse, stripeWebhookResponse } from './response.js';

/** /webhooks: events from HubSpot and Stripe, authenticated by their signatures only. */
export const webhookPaths: Paths = {
  '/webhooks/hubspot': {
    post: {
      summary: 'HubSpot webhook events, signed v3 (or v1/v2 per X-HubSpot-Signature-Version); each event is applied once',
      ...PUBLIC,
      requestBody: jsonBody(hubspotWebhookBody),
      responses: { 200: json('What became of the events', hubspotWebhookResponse), ...errors(400, 401, 500) },
    },
  },
  '/webhooks/stripe': {
    post: {
      summary: 'Stripe Connect webhook events (Stripe-Signature over the raw body); each event is applied once. 409 until the payment it refers to is recorded',
      ...PUBLIC,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              description: 'a Stripe Event object',
              properties: { id: { type: 'string' }, type: { type: 'string' } },
              required: ['id', 'type'],
            },
          },
        },
      },
      responses: { 200: json('The outcome', stripeWebhookResponse), ...errors(400, 409, 500, 503) },
    },
  },
};
