import { randomBytes } from 'node:crypto';
import { findSettings } from '../db/portals-repo.js';
import {
  VERIFIED_OWNER_CONSTRAINT,
  countPortalDomains,
  deletePortalDomain,
  findPortalDomain,
  insertPendingDomain,
  listPortalDomains,
  markDomainVerified,
} from '../db/portal-domains-repo.js';
import type { Actor } from '../domain/actor.js';
import { MAX_DOMAINS_PER_PORTAL, challengeName, type PortalDomain } from '../domain/invoice-domains.js';
import type { Deps } from './deps.js';
import { AppError, notFound, ruleBroken } from './errors.js';
import { nothingToPrepare, runCommand, type CommandRun } from './unit-of-work.js';

/** An added domain, and whether this call created it (201) or it was listed already (200). */
export interface AddedDomain {
  domain: PortalDomain;
  created: boolean;
}

/** The portal's invoice domains, pending and verified. */
export async function listDomains(deps: Pick<Deps, 'db'>, actor: Actor): Promise<PortalDomain[]> {
  return listPortalDomains(deps.db, actor.portalId);
}

/**
 * Adds `domain` (already validated and lower-cased at the edge) as pending with a fresh challenge
 * token. Adding a domain the portal lists already returns it unchanged (its token stays, so a
 * TXT record created meanwhile remains valid). Whether another portal holds it is decided at
 * verification, where only DNS control counts.
 */
export async function addDomain(deps: Pick<Deps, 'db' | 'clock'>, actor: Actor, domain: string, run: CommandRun<AddedDomain> = {}): Promise<AddedDomain> {
  return runCommand(deps, run, nothingToPrepare, async ({ trx }) => {
    const existing = await findPortalDomain(trx, actor.portalId, domain);
    if (existing) return { domain: existing, created: false };
    if ((await countPortalDomains(trx, actor.portalId)) >= MAX_DOMAINS_PER_PORTAL) {
      throw ruleBroken('too_many_domains', `A portal can have at most ${MAX_DOMAINS_PER_PORTAL} domains; delete one first`, [
        { path: 'domain', message: `at most ${MAX_DOMAINS_PER_PORTAL} domains` },
      ]);
    }
    // 24 random bytes, base64url: 32 characters, unguessable, safe in a TXT record.
    const inserted = await insertPendingDomain(trx, actor.portalId, domain, randomBytes(24).toString('base64url'), deps.clock());
    // A concurrent add of the same name won the primary key: answer with its row.
    if (!inserted) return { domain: (await findPortalDomain(trx, actor.portalId, domain))!, created: false };
    return { domain: inserted, created: true };
  });
}

/**
 * Verifies a pending domain: the TXT record at `_invoicing-challenge.<domain>` must hold the
 * domain's challenge token, as read through the resolver port (no transaction is open during the
 * lookup). A wrong or missing record is 422 `domain_not_verified`, a resolver that does not answer
 * 503 `dns_unavailable`, a domain another portal holds verified 409 `domain_taken` (enforced by
 * the unique index, so two portals racing cannot both win); in all three nothing changes.
 * Verifying a verified domain again returns it unchanged.
 */
export async function verifyDomain(
  deps: Pick<Deps, 'db' | 'clock' | 'resolver'>,
  actor: Actor,
  domain: string,
  run: CommandRun<PortalDomain> = {},
): Promise<PortalDomain> {
  return runCommand(
    deps,
    run,
    async () => {
      const row = await findPortalDomain(deps.db, actor.portalId, domain);
      if (!row) throw notFound('Domain');
      if (row.status === 'verified') return row;
      await assertChallengeAnswered(deps, row);
      return row;
    },
    async ({ trx }, checked) => {
      const row = await findPortalDomain(trx, actor.portalId, domain, { forUpdate: true });
      // Deleted (or deleted and added again with a new token) while DNS was asked: not proven.
      if (!row || row.challengeToken !== checked.challengeToken) throw notFound('Domain');
      if (row.status === 'verified') return row;
      try {
        return await markDomainVerified(trx, actor.portalId, domain, deps.clock());
      } catch (err) {
        if ((err as { constraint?: string }).constraint === VERIFIED_OWNER_CONSTRAINT || isVerifiedOwnerViolation(err)) {
          throw new AppError('domain_taken', `${domain} is already verified by another HubSpot account; it must be removed there first`, [
            { path: 'domain', message: 'verified by another account' },
          ]);
        }
        throw err;
      }
    },
  );
}

/**
 * Deletes one of the portal's domains. The default domain cannot go (409 `domain_in_use`: pick
 * another default first), so settings never name a domain the portal does not hold.
 */
export async function removeDomain(deps: Pick<Deps, 'db'>, actor: Actor, domain: string, run: CommandRun<void> = {}): Promise<void> {
  await runCommand(deps, run, nothingToPrepare, async ({ trx }) => {
    // The settings row lock orders this against a concurrent change of the default domain.
    const settings = await findSettings(trx, actor.portalId, { forUpdate: true });
    if (settings?.defaultDomain === domain) {
      throw new AppError('domain_in_use', `${domain} is the default domain; choose another default (or none) in settings first`, [
        { path: 'defaultDomain', message: `is ${domain}` },
      ]);
    }
    if (!(await deletePortalDomain(trx, actor.portalId, domain))) throw notFound('Domain');
  });
}

async function assertChallengeAnswered(deps: Pick<Deps, 'resolver'>, row: PortalDomain): Promise<void> {
  const name = challengeName(row.domain);
  if (!deps.resolver) throw new AppError('dns_unavailable', 'No DNS resolver is configured; the domain cannot be verified now');
  const found = await deps.resolver.lookupTxt(name);
  if (found.status === 'unavailable') {
    throw new AppError('dns_unavailable', `DNS did not answer for ${name}; try again in a few minutes`);
  }
  if (found.status === 'not_found') {
    throw ruleBroken(
      'domain_not_verified',
      `No TXT record found at ${name}; create it with the value shown, then verify again (DNS changes can take a while)`,
      [{ path: 'domain', message: `no TXT record at ${name}` }],
    );
  }
  if (!found.values.some((v) => v.trim() === row.challengeToken)) {
    throw ruleBroken('domain_not_verified', `The TXT record at ${name} does not hold this domain's challenge token`, [
      { path: 'domain', message: `TXT record at ${name} does not match` },
    ]);
  }
}

/** PGlite may not fill in `constraint`; the message names the index in both drivers. */
function isVerifiedOwnerViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === '23505' && (e.message ?? '').includes(VERIFIED_OWNER_CONSTRAINT);
}
