import { errors, json, jsonBody, paramsOf, type Paths } from '../openapi-parts.js';
import { userGrantsPageResponse, userPermissionsResponse } from './response.js';
import { listUsersQuery, putPermissionsBody, userParams } from './schema.js';

/** /api/v1/users: per-user invoice permissions. */
export const userPaths: Paths = {
  '/api/v1/users': {
    get: {
      summary: 'Users with explicit permission grants (needs settings)',
      parameters: paramsOf(listUsersQuery, 'query'),
      responses: { 200: json('A page of users', userGrantsPageResponse), ...errors(400, 401, 403) },
    },
  },
  '/api/v1/users/{userId}/permissions': {
    get: {
      summary: "A user's invoice permissions: HubSpot facts, defaults, explicit grants, effective (needs settings, except for one's own)",
      parameters: paramsOf(userParams, 'path'),
      responses: { 200: json("The user's permissions", userPermissionsResponse), ...errors(400, 401, 403, 404, 502) },
    },
    put: {
      summary: "Replace a user's explicit grants; permissions left out follow the defaults (needs settings)",
      parameters: paramsOf(userParams, 'path'),
      requestBody: jsonBody(putPermissionsBody),
      responses: { 200: json("The user's permissions as saved", userPermissionsResponse), ...errors(400, 401, 403, 404, 502) },
    },
  },
};
