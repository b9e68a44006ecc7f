import express, { type Router } from 'express';
import { HubSpotError, missingScopes, validationError } from './errors.js';
import { crm, param } from './http-helpers.js';

/** A HubSpot user of a sandbox portal, with the owner record HubSpot creates for it. */
export interface SandboxUser {
  id: string;
  email: string;
  superAdmin: boolean;
  /** When the user (and its owner record) was created, ISO 8601. */
  createdAt: string;
  /** Owner id; defaults to `1000 + user id`. */
  ownerId?: string;
}

/** Users per hub. */
export class SandboxUsers {
  private readonly byHub = new Map<number, Map<string, SandboxUser>>();

  add(hubId: number, user: SandboxUser): void {
    let users = this.byHub.get(hubId);
    if (!users) this.byHub.set(hubId, (users = new Map()));
    users.set(user.id, user);
  }

  get(hubId: number, userId: string): SandboxUser | undefined {
    return this.byHub.get(hubId)?.get(userId);
  }

  list(hubId: number): SandboxUser[] {
    return [...(this.byHub.get(hubId)?.values() ?? [])];
  }
}

function userNotFound(userId: string): HubSpotError {
  return new HubSpotError(404, { status: 'error', message: `No user found with id ${userId}`, category: 'OBJECT_NOT_FOUND' });
}

const ownerIdOf = (u: SandboxUser) => u.ownerId ?? String(1000 + Number(u.id));

function ownerOf(u: SandboxUser) {
  return {
    id: ownerIdOf(u),
    email: u.email,
    type: 'PERSON',
    firstName: '',
    lastName: '',
    userId: Number(u.id),
    userIdIncludingInactive: Number(u.id),
    createdAt: u.createdAt,
    updatedAt: u.createdAt,
    archived: false,
  };
}

/**
 * Settings Users API `GET /settings/users/2026-03/{userId}` (scope settings.users.read: id, email,
 * roleIds, superAdmin; no creation date) and CRM Owners API `GET /crm/owners/2026-03/{id}` with
 * `idProperty=id|userId` (scope crm.objects.owners.read: the owner's createdAt and userId).
 */
export function userRoutes(users: SandboxUsers): Router {
  const r = express.Router();
  r.get('/settings/users/2026-03/:userId', (req, res) => {
    if (!crm(res).scopes.includes('settings.users.read')) throw missingScopes(['settings.users.read']);
    const id = param(req, 'userId');
    const u = users.get(crm(res).hubId, id);
    if (!u) throw userNotFound(id);
    res.json({ id: u.id, email: u.email, roleIds: [], superAdmin: u.superAdmin, secondaryTeamIds: [] });
  });
  r.get('/crm/owners/2026-03/:id', (req, res) => {
    if (!crm(res).scopes.includes('crm.objects.owners.read')) throw missingScopes(['crm.objects.owners.read']);
    const idProperty = String(req.query.idProperty ?? 'id');
    if (idProperty !== 'id' && idProperty !== 'userId') throw validationError(`idProperty must be one of id, userId`);
    const id = param(req, 'id');
    const { hubId } = crm(res);
    const u = idProperty === 'userId' ? users.get(hubId, id) : users.list(hubId).find((x) => ownerIdOf(x) === id);
    if (!u) throw userNotFound(id);
    res.json(ownerOf(u));
  });
  return r;
}
