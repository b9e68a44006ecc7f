import { errors, idempotencyKey, json, jsonBody, noContent, pathParam, type Paths } from '../openapi-parts.js';
import { domainListResponse, domainResponse, settingsResponse } from './response.js';
import { addDomainBody, domainPathParams, updateSettingsBody } from './schema.js';

const domainParam = pathParam('domain', domainPathParams.shape.domain);

/** /api/v1/settings: the portal's numbering, defaults, brand, domains and accounting mappings. */
export const settingsPaths: Paths = {
  '/api/v1/settings': {
    get: { summary: 'Portal settings (needs view)', responses: { 200: json('The settings', settingsResponse), ...errors(401, 403) } },
    put: {
      summary: 'Update settings; fields left out keep their value (needs settings)',
      parameters: [idempotencyKey],
      requestBody: jsonBody(updateSettingsBody),
      responses: { 200: json('The settings as saved', settingsResponse), ...errors(400, 401, 403, 409, 422) },
    },
  },
  '/api/v1/settings/domains': {
    get: {
      summary: "The portal's invoice domains, pending and verified, with their TXT records (needs view)",
      responses: { 200: json('The domains', domainListResponse), ...errors(401, 403) },
    },
    post: {
      summary:
        'Add a domain as pending (needs settings). Create the TXT record the answer names (_invoicing-challenge.<domain> = the token), ' +
        'then verify. Adding a listed domain again returns it (200)',
      parameters: [idempotencyKey],
      requestBody: jsonBody(addDomainBody),
      responses: {
        201: json('The pending domain and its DNS record', domainResponse),
        200: json('The domain, listed already', domainResponse),
        ...errors(400, 401, 403, 422),
      },
    },
  },
  '/api/v1/settings/domains/{domain}/verify': {
    post: {
      summary:
        'Check the TXT record and mark the domain verified (needs settings): 422 domain_not_verified when the record is missing or wrong, ' +
        '409 domain_taken when another account holds the domain verified, 503 dns_unavailable when DNS does not answer; nothing changes then',
      parameters: [domainParam, idempotencyKey],
      responses: { 200: json('The verified domain', domainResponse), ...errors(400, 401, 403, 404, 409, 422, 503) },
    },
  },
  '/api/v1/settings/domains/{domain}': {
    delete: {
      summary: 'Remove a domain (needs settings); 409 domain_in_use while it is the default domain',
      parameters: [domainParam, idempotencyKey],
      responses: { 204: noContent('Removed'), ...errors(400, 401, 403, 404, 409) },
    },
  },
};
