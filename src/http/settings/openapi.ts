import { errors, idempotencyKey, json, jsonBody, type Paths } from '../openapi-parts.js';
import { settingsResponse } from './response.js';
import { updateSettingsBody } from './schema.js';

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
};
