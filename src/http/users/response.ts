import { z } from 'zod';
import { explicitGrantsResponse, named, pageOf, permissionSetResponse, timestamp } from '../response-parts.js';

/** GET/PUT /api/v1/users/{userId}/permissions: HubSpot facts, defaults, explicit grants, effective. */
export const userPermissionsResponse = named(
  'UserPermissions',
  z.strictObject({
    userId: z.string(),
    superAdmin: z.boolean(),
    createdAt: timestamp.nullable(),
    defaults: permissionSetResponse,
    explicit: explicitGrantsResponse,
    effective: permissionSetResponse,
  }),
);

/** One row of GET /api/v1/users: a user with explicit grants. */
export const userGrantsResponse = named(
  'UserGrants',
  z.strictObject({ userId: z.string(), explicit: explicitGrantsResponse, effective: permissionSetResponse }),
);

/** GET /api/v1/users */
export const userGrantsPageResponse = named('UserGrantsPage', pageOf(userGrantsResponse));

/** A user's permissions as the API shows them. */
export type UserPermissionsResponse = z.infer<typeof userPermissionsResponse>;
/** One row of the users list. */
export type UserGrantsResponse = z.infer<typeof userGrantsResponse>;
