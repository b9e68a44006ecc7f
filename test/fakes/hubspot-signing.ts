/**
 * Requests signed the way HubSpot's proxy signs a card's `hubspot.fetch` (v3), computed here
 * independently of src/http/hubspot-signature.ts so that the tests check it against the spec.
 */
import { createHmac } from 'node:crypto';
import type { Express } from 'express';
import supertest from 'supertest';

/** testApp's PUBLIC_BASE_URL. */
export const TEST_ORIGIN = 'https://invoices.test';
/** The client secret of testApp's default (sandbox) config. */
export const SANDBOX_CLIENT_SECRET = 'sandbox-client-secret';

// HubSpot's table of encodings to decode before signing (request-validation docs, v3).
const HUBSPOT_DECODES: [string, string][] = [
  ['%3A', ':'],
  ['%2F', '/'],
  ['%3F', '?'],
  ['%40', '@'],
  ['%21', '!'],
  ['%24', '$'],
  ['%27', "'"],
  ['%28', '('],
  ['%29', ')'],
  ['%2A', '*'],
  ['%2C', ','],
  ['%3B', ';'],
];

/** The URI as HubSpot signs it: TEST_ORIGIN + path with the table's encodings decoded. */
export function hubspotSignedUri(path: string): string {
  return HUBSPOT_DECODES.reduce((uri, [encoded, plain]) => uri.split(encoded).join(plain), `${TEST_ORIGIN}${path}`);
}

/** base64 HMAC-SHA256 of `method + uri + body + timestamp`, `uri` already in HubSpot's decoded form. */
export function v3Signature(secret: string, method: string, signedUri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${method}${signedUri}${body}${timestamp}`, 'utf8').digest('base64');
}

export interface CardRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path and query as sent on the wire (percent-encoded). */
  path: string;
  /** The URI HubSpot signs; defaults to hubspotSignedUri(path). */
  signedUri?: string;
  /** JSON body, sent exactly as serialized here. */
  body?: object;
  /** Request time in ms. */
  timestamp: number;
  secret?: string;
  /** Sends a body other than the one signed. */
  tamperedBody?: object;
  /** Leave out X-HubSpot-Request-Timestamp. */
  omitTimestamp?: boolean;
}

/** Sends a v3-signed request to `app`. */
export function cardRequest(app: Express, r: CardRequest): supertest.Test {
  const body = r.body === undefined ? '' : JSON.stringify(r.body);
  const ts = String(r.timestamp);
  const signature = v3Signature(r.secret ?? SANDBOX_CLIENT_SECRET, r.method, r.signedUri ?? hubspotSignedUri(r.path), body, ts);
  const agent = supertest(app);
  let test =
    r.method === 'GET'
      ? agent.get(r.path)
      : r.method === 'POST'
        ? agent.post(r.path)
        : r.method === 'PATCH'
          ? agent.patch(r.path)
          : r.method === 'PUT'
            ? agent.put(r.path)
            : agent.delete(r.path);
  test = test.set('X-HubSpot-Signature-v3', signature);
  if (!r.omitTimestamp) test = test.set('X-HubSpot-Request-Timestamp', ts);
  const sent = r.tamperedBody === undefined ? body : JSON.stringify(r.tamperedBody);
  if (sent !== '') test = test.set('Content-Type', 'application/json').send(sent);
  return test;
}

/** The query HubSpot's proxy appends for a card of `portalId`, user `userId`. */
export function proxyQuery(portalId: number, userId = '42'): string {
  return `portalId=${portalId}&userId=${userId}&userEmail=ada%40example.com&appId=424242`;
}
