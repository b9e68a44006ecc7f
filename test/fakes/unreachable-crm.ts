import type { CrmPort } from '../../src/app/ports/crm.js';
import { DomainError } from '../../src/domain/errors.js';

/** The CRM for tests that must not touch HubSpot: any read is an upstream error, as if HubSpot were down. */
export const unreachableCrm: CrmPort = new Proxy({} as CrmPort, {
  get: (_target, method) => async () => {
    throw new DomainError('upstream_error', `HubSpot is not reachable in this test (called ${String(method)})`);
  },
});
