import { errors, idempotencyKey, idParam, json, jsonBody, noContent, paramsOf, type Paths } from '../openapi-parts.js';
import { createdWebhookEndpointResponse, webhookDeliveryPageResponse, webhookEndpointListResponse } from './response.js';
import { createWebhookEndpointBody, listDeliveriesQuery } from './schema.js';

/** /api/v1/webhook-endpoints: a portal's outbound webhook endpoints and their delivery logs. */
export const webhookEndpointPaths: Paths = {
  '/api/v1/webhook-endpoints': {
    get: {
      summary: "The portal's webhook endpoints (needs settings)",
      responses: { 200: json('The endpoints', webhookEndpointListResponse), ...errors(401, 403) },
    },
    post: {
      summary:
        'Register an endpoint (https to a public address only; loopback, and plain http to it, only when WEBHOOK_ALLOW_LOOPBACK). Each delivery is a POST of ' +
        'the event with headers Invoicing-Event-Id and Invoicing-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)> (needs settings)',
      parameters: [idempotencyKey],
      requestBody: jsonBody(createWebhookEndpointBody),
      responses: { 201: json('The endpoint and its signing secret', createdWebhookEndpointResponse), ...errors(400, 401, 403, 409, 422) },
    },
  },
  '/api/v1/webhook-endpoints/{id}': {
    delete: {
      summary: 'Delete an endpoint and its pending deliveries (needs settings)',
      parameters: [idParam, idempotencyKey],
      responses: { 204: noContent('Deleted'), ...errors(401, 403, 404) },
    },
  },
  '/api/v1/webhook-endpoints/{id}/deliveries': {
    get: {
      summary: "An endpoint's deliveries, newest first, each with its attempt log (needs settings)",
      parameters: [idParam, ...paramsOf(listDeliveriesQuery, 'query')],
      responses: { 200: json('A page of deliveries', webhookDeliveryPageResponse), ...errors(400, 401, 403, 404) },
    },
  },
};
