import type { PortalDomain } from '../domain/invoice-domains.js';
import type { Db } from './invoices-repo.js';

interface DomainRow {
  portal_id: number | string;
  domain: string;
  status: PortalDomain['status'];
  challenge_token: string;
  created_at: Date;
  verified_at: Date | null;
}

/** The unique partial index that lets a verified domain belong to one portal only. */
export const VERIFIED_OWNER_CONSTRAINT = 'portal_domains_one_verified_owner';

/** The portal's domains, by name. */
export async function listPortalDomains(db: Db, portalId: number): Promise<PortalDomain[]> {
  const rows = (await db('portal_domains').where({ portal_id: portalId }).orderBy('domain')) as DomainRow[];
  return rows.map(toDomain);
}

/** The names of the portal's verified domains, sorted. */
export async function verifiedDomainNames(db: Db, portalId: number): Promise<string[]> {
  const rows = (await db('portal_domains').where({ portal_id: portalId, status: 'verified' }).orderBy('domain').select('domain')) as Array<{ domain: string }>;
  return rows.map((r) => r.domain);
}

/** Whether `domain` is verified for the portal (the check behind every custom-domain answer). */
export async function isVerifiedDomainOf(db: Db, portalId: number, domain: string): Promise<boolean> {
  const row = await db('portal_domains').where({ portal_id: portalId, domain, status: 'verified' }).first('domain');
  return row !== undefined;
}

/** One of the portal's domains; `forUpdate` locks its row. */
export async function findPortalDomain(db: Db, portalId: number, domain: string, opts: { forUpdate?: boolean } = {}): Promise<PortalDomain | null> {
  const query = db('portal_domains').where({ portal_id: portalId, domain }).first();
  if (opts.forUpdate) query.forUpdate();
  const row = (await query) as DomainRow | undefined;
  return row ? toDomain(row) : null;
}

/** How many domains the portal lists. */
export async function countPortalDomains(db: Db, portalId: number): Promise<number> {
  const row = (await db('portal_domains').where({ portal_id: portalId }).count({ n: '*' }).first()) as { n: number | string };
  return Number(row.n);
}

/** Adds a pending domain; null when the portal already lists it (the primary key refuses a second). */
export async function insertPendingDomain(db: Db, portalId: number, domain: string, token: string, now: Date): Promise<PortalDomain | null> {
  const rows = (await db('portal_domains')
    .insert({ portal_id: portalId, domain, status: 'pending', challenge_token: token, created_at: now })
    .onConflict(['portal_id', 'domain'])
    .ignore()
    .returning('*')) as DomainRow[];
  return rows[0] ? toDomain(rows[0]) : null;
}

/**
 * Marks the domain verified. The unique partial index refuses it (error with
 * {@link VERIFIED_OWNER_CONSTRAINT}) when another portal holds the domain verified.
 */
export async function markDomainVerified(db: Db, portalId: number, domain: string, now: Date): Promise<PortalDomain> {
  const [row] = (await db('portal_domains')
    .where({ portal_id: portalId, domain })
    .update({ status: 'verified', verified_at: now })
    .returning('*')) as DomainRow[];
  return toDomain(row!);
}

/** Removes one of the portal's domains; false when it lists no such domain. */
export async function deletePortalDomain(db: Db, portalId: number, domain: string): Promise<boolean> {
  // RETURNING rather than the affected-row count, which not every driver (PGlite) reports.
  const rows = (await db('portal_domains').where({ portal_id: portalId, domain }).delete().returning('domain')) as unknown[];
  return rows.length > 0;
}

function toDomain(r: DomainRow): PortalDomain {
  return {
    portalId: Number(r.portal_id),
    domain: r.domain,
    status: r.status,
    challengeToken: r.challenge_token,
    createdAt: r.created_at,
    verifiedAt: r.verified_at,
  };
}
