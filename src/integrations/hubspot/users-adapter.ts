/**
 * HubSpot user facts for the permission defaults, from two APIs, because neither has both:
 * - Settings Users API `GET /settings/users/2026-03/{userId}` (scope `settings.users.read`): `superAdmin`.
 *   A 404 means the portal has no such user.
 * - CRM Owners API `GET /crm/owners/2026-03/{userId}?idProperty=userId` (scope `crm.objects.owners.read`):
 *   `createdAt` of the owner HubSpot creates together with the user. A user without an owner
 *   record (404) has an unknown creation date, which the rule treats as "new" (fail closed).
 */
import { z } from 'zod';
import type { HubSpotUsersPort } from '../../app/ports/hubspot-users.js';
import { DomainError } from '../../domain/errors.js';
import type { UserFacts } from '../../domain/permissions.js';
import { hubspotPaths } from './api-version.js';
import { HubSpotHttp, type HubSpotHttpOptions } from './http-retry.js';

const settingsUser = z.object({ id: z.union([z.string(), z.number()]), superAdmin: z.boolean().optional() });
const owner = z.object({ createdAt: z.iso.datetime({ offset: true }) });

export class HubSpotUsersAdapter implements HubSpotUsersPort {
  private readonly http: HubSpotHttp;

  constructor(opts: HubSpotHttpOptions) {
    // On a user's request path: one retry, then the caller falls back to its cache or fails.
    this.http = new HubSpotHttp({ maxRetries: 1, timeoutMs: 5_000, ...opts });
  }

  async userFacts(portalId: number, userId: string): Promise<UserFacts | null> {
    const user = await this.http.request(portalId, { method: 'GET', path: hubspotPaths.settingsUser(userId) });
    if (user.status === 404) return null;
    const parsedUser = settingsUser.safeParse(user.body);
    if (!parsedUser.success) throw new DomainError('upstream_error', 'HubSpot failed: GET settings user: unexpected response shape');
    const own = await this.http.request(portalId, { method: 'GET', path: hubspotPaths.owner(userId), query: 'idProperty=userId' });
    let createdAt: Date | null = null;
    if (own.status !== 404) {
      const parsedOwner = owner.safeParse(own.body);
      if (!parsedOwner.success) throw new DomainError('upstream_error', 'HubSpot failed: GET owner: unexpected response shape');
      createdAt = new Date(parsedOwner.data.createdAt);
    }
    return { superAdmin: parsedUser.data.superAdmin ?? false, createdAt };
  }
}
