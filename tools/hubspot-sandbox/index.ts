/**
 * Local HubSpot API emulator for running the service without HubSpot app credentials: a
 * development and test tool, outside `src/` so the production image leaves it out. main.ts loads
 * it with a dynamic import in sandbox mode only (src/sandbox-loader.ts); tests and benchmarks
 * import it directly. The service's HubSpot adapter talks to it over HTTP exactly as it would to
 * api.hubapi.com. It imports nothing from `src/`.
 */
export { startCrmSandbox, type CrmSandbox, type CrmSandboxOptions } from './server.js';
export { SandboxStore, type SandboxRecord, type SandboxSeed, type RecordRef, type AssociationLink } from './store.js';
export { SANDBOX_HUB_ID, SANDBOX_SEED_IDS, defaultSeed, sandboxUsers } from './seed.js';
export { SandboxUsers, type SandboxUser } from './routes-users.js';
export { SandboxTaxRates, type SandboxTaxRate } from './routes-tax-rates.js';
export { ACCESS_TOKEN_TTL_SECONDS, ALL_SCOPES, SANDBOX_APP_ID, SANDBOX_USER } from './auth-store.js';
export { SandboxJournal, type JournalRecord, type JournalSubscription, type LifecycleAction } from './journal-store.js';
export { SandboxWebhooks, type SandboxChange, type SandboxWebhookTarget } from './webhook-sender.js';
export { ASSOCIATION_PAGE_SIZE } from './present.js';
export { CRM_OBJECT_TYPES, type CrmObjectType } from './object-types.js';
export { associationType, defaultAssociationTypeId, primaryAssociationTypeId } from './association-types.js';
