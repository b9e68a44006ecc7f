/** Where a portal's domain stands: added and waiting for its DNS record, or proven. */
export type DomainStatus = 'pending' | 'verified';

/** One of a portal's invoice domains. */
export interface PortalDomain {
  portalId: number;
  /** Lower case, no trailing dot. */
  domain: string;
  status: DomainStatus;
  /** The value the TXT record at {@link challengeName} must hold. Public by design (it sits in DNS). */
  challengeToken: string;
  createdAt: Date;
  verifiedAt: Date | null;
}

/** A portal lists at most this many domains (the settings field allowed 20 before). */
export const MAX_DOMAINS_PER_PORTAL = 20;

/** The label the challenge TXT record lives under: `_invoicing-challenge.<domain>`. */
export const CHALLENGE_LABEL = '_invoicing-challenge';

/** The DNS name whose TXT record proves control of `domain`. */
export function challengeName(domain: string): string {
  return `${CHALLENGE_LABEL}.${domain}`;
}

/** Host names compare case-insensitively and without a trailing root dot. */
export function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}
