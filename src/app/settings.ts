import { findSettings, highestIssued, writeSettings } from '../db/portals-repo.js';
import { invalidField } from '../domain/errors.js';
import { normalizeHost } from '../domain/invoice-domains.js';
import { mergeMappings, type MappingsPatch } from '../domain/exports/mappings.js';
import { isKnownCurrency } from '../domain/money/index.js';
import { assertValidPrefix, formatInvoiceNumber } from '../domain/numbering.js';
import type { PortalSettings } from '../domain/settings.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound, ruleBroken } from './errors.js';
import { nothingToPrepare, runCommand, type CommandRun } from './unit-of-work.js';

/** Fields a settings update may carry; each is optional (accounting mappings field by field). */
export type SettingsPatch = Partial<Omit<PortalSettings, 'portalId' | 'version' | 'updatedAt' | 'accountingMappings'>> & { accountingMappings?: MappingsPatch };

/** The portal's settings. */
export async function getSettings(deps: Pick<Deps, 'db'>, actor: Actor): Promise<PortalSettings> {
  const settings = await findSettings(deps.db, actor.portalId);
  if (!settings) throw notFound('Portal');
  return settings;
}

/**
 * Updates settings. The counter row is locked for the whole check, so no finalization can slip
 * between the check and the write. A change that would hand out an already issued number again
 * (back to an old prefix, or a lower start number) is refused with 422 `number_already_used`.
 */
export async function updateSettings(
  deps: Pick<Deps, 'db'> & Partial<Pick<Deps, 'logger'>>,
  actor: Actor,
  patch: SettingsPatch,
  run: CommandRun<PortalSettings> = {},
): Promise<PortalSettings> {
  return runCommand(deps, run, nothingToPrepare, async ({ trx }) => {
    const current = await findSettings(trx, actor.portalId, { forUpdate: true });
    if (!current) throw notFound('Portal');
    const { accountingMappings, domains, ...rest } = patch;
    // Domains are managed under /api/v1/settings/domains (a DNS challenge each). A client that
    // sends back what it read (GET then PUT of the whole object) keeps working; a change is refused.
    if (domains !== undefined && !sameNames(domains, current.domains)) {
      throw invalidField('domains', 'is read-only: add and verify domains with POST /api/v1/settings/domains');
    }
    const next = {
      ...current,
      ...rest,
      accountingMappings: accountingMappings ? mergeMappings(current.accountingMappings, accountingMappings) : current.accountingMappings,
    };
    assertValidPrefix(next.numberPrefix);
    if (!isKnownCurrency(next.defaultCurrency)) throw invalidField('defaultCurrency', `unknown ISO 4217 currency "${next.defaultCurrency}"`);
    if (next.defaultDomain !== null && !next.domains.includes(next.defaultDomain)) {
      throw invalidField('defaultDomain', `"${next.defaultDomain}" is not a verified domain of this portal (${next.domains.join(', ') || 'none verified'})`);
    }
    if (next.numberPrefix !== current.numberPrefix || next.nextNumber < current.nextNumber) {
      const highest = await highestIssued(trx, actor.portalId, next.numberPrefix);
      if (highest !== null && next.nextNumber <= highest) {
        throw ruleBroken(
          'number_already_used',
          `${formatInvoiceNumber(next.numberPrefix, highest)} was already issued; with prefix ${next.numberPrefix} the next number must be at least ${highest + 1}`,
          [{ path: 'nextNumber', message: `must be at least ${highest + 1} for prefix ${next.numberPrefix}` }],
        );
      }
    }
    const { portalId: _p, version: _v, updatedAt: _u, domains: _d, ...fields } = next;
    return writeSettings(trx, actor.portalId, fields);
  });
}

/** The same host names, in any order and case. */
function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const norm = (l: readonly string[]) => [...new Set(l.map(normalizeHost))].sort().join(' ');
  return norm(a) === norm(b);
}
