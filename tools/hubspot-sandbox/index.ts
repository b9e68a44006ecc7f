/**
 * Local HubSpot API emulator for running the service without HubSpot app credentials.
 * Only main.ts (sandbox mode) and tests import this; the service's HubSpot adapter talks to it
 * over HTTP exactly as it would to api.hubapi.com.
 */
export { startCrmSandbox, type CrmSandbox, type CrmSandboxOptions } from './server.js';
export { SandboxStore, type SandboxRecord, type SandboxSeed, type RecordRef, type AssociationLink } from './store.js';
export { SANDBOX_HUB_ID, SANDBOX_SEED_IDS, defaultSeed, sandboxUsers } from './seed.js';
export { SandboxUsers, type SandboxUser } from './routes-users.js';
export { ACCESS_TOKEN_TTL_SECONDS, ALL_SCOPES, SANDBOX_APP_ID, SANDBOX_USER } from './auth-store.js';
export { ASSOCIATION_PAGE_SIZE } from './present.js';
export { CRM_OBJECT_TYPES, type CrmObjectType } from './object-types.js';
export { associationType, defaultAssociationTypeId, primaryAssociationTypeId } from './association-types.js';
