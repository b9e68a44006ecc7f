import { expect } from 'vitest';
import type { FakeDnsResolver } from '../fakes/dns-resolver.js';
import type { Api } from './app.js';

/**
 * Adds `domain` to the caller's portal and verifies it the way a customer does: the TXT record
 * the API asks for is published in the fake DNS, then verify is called.
 */
export async function verifiedDomain(api: Api, dns: FakeDnsResolver, domain: string): Promise<void> {
  const added = await api.post('/api/v1/settings/domains', { domain });
  expect([200, 201]).toContain(added.status);
  dns.set(added.body.dnsRecord.name, [added.body.dnsRecord.value]);
  const verified = await api.post(`/api/v1/settings/domains/${domain}/verify`);
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
}
