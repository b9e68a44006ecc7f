import { z } from 'zod';
import { PERMISSIONS, type Permission } from '../../domain/permissions.js';
import { hubspotId } from '../schema-parts.js';

/** `/users/{userId}`: a HubSpot user id (digits). */
export const userParams = z.object({ userId: hubspotId });

/** PUT /api/v1/users/{userId}/permissions: replaces the explicit grants; a key left out follows the default. */
export const putPermissionsBody = z.strictObject({
  explicit: z.strictObject(
    Object.fromEntries(PERMISSIONS.map((p) => [p, z.boolean('must be true or false').optional()])) as Record<Permission, z.ZodOptional<z.ZodBoolean>>,
  ),
});
export type PutPermissionsReq = z.infer<typeof putPermissionsBody>;

/** GET /api/v1/users (unknown parameters ignored: HubSpot's proxy adds its own). */
export const listUsersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: hubspotId.optional(),
});
