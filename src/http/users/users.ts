import { Router, type Response } from 'express';
import { actorCan } from '../../domain/actor.js';
import type { Deps, HubSpotServices } from '../../app/deps.js';
import { getUserPermissions, listUserGrants, setUserPermissions, type PermissionDeps, type UserPermissions } from '../../app/user-permissions.js';
import { respond } from '../idempotent.js';
import type { ExplicitGrants } from '../../domain/permissions.js';
import { forbidden, requirePermission } from '../auth.js';
import { actorOf } from '../context.js';
import { presentUserGrants, presentUserPermissions } from './presenter.js';
import { listUsersQuery, putPermissionsBody, userParams } from './schema.js';

/** /api/v1/users: per-user invoice permissions. Admins (`settings`) manage them; a user may read their own. */
export function usersRouter(deps: Deps & { hubspot: HubSpotServices }): Router {
  const r = Router();
  const pdeps: PermissionDeps = { ...deps, users: deps.hubspot.users };
  const settings = requirePermission('settings');

  r.get('/', settings, async (req, res) => {
    const { limit, cursor } = listUsersQuery.parse(req.query);
    const page = await listUserGrants(pdeps, actorOf(res), { limit, ...(cursor ? { cursor } : {}) });
    res.json({ data: page.users.map(presentUserGrants), nextCursor: page.nextCursor });
  });

  r.get('/:userId/permissions', async (req, res) => {
    const { userId } = userParams.parse(req.params);
    mayRead(res, userId);
    res.json(presentUserPermissions(await getUserPermissions(pdeps, actorOf(res), userId)));
  });

  r.put('/:userId/permissions', settings, async (req, res) => {
    const { userId } = userParams.parse(req.params);
    const { explicit } = putPermissionsBody.parse(req.body);
    await respond<UserPermissions>(
      req,
      res,
      (run) => setUserPermissions(pdeps, actorOf(res), userId, explicit as ExplicitGrants, run),
      (set) => ({ status: 200, body: presentUserPermissions(set) }),
    );
  });
  return r;
}

/** Admins read anyone's permissions; a card user reads their own. */
function mayRead(res: Response, userId: string): void {
  const actor = actorOf(res);
  if (actor.kind === 'user' && actor.userId === userId) return;
  if (!actorCan(actor, 'settings')) throw forbidden('settings');
}
