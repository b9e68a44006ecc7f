import { Resolver } from 'node:dns/promises';
import type { DomainResolverPort, TxtLookup } from '../../app/ports/domain-resolver.js';

/** Options of {@link createTxtResolver}. */
export interface TxtResolverOptions {
  /** DNS servers (`ip` or `ip:port`, `[ipv6]:port`); empty: the system's resolvers. */
  servers: readonly string[];
  /** Per-try timeout in milliseconds. */
  timeoutMs?: number;
  /** Tries per server before giving up. */
  tries?: number;
}

// Answers that prove the record does not exist (as opposed to "no answer").
const ABSENT = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * The production domain resolver: node:dns `Resolver` (c-ares, real DNS queries, not the
 * system's getaddrinfo), optionally pointed at configured servers (`DNS_RESOLVER`). A name that
 * does not exist or has no TXT record is `not_found`; every other failure is `unavailable`.
 */
export function createTxtResolver(opts: TxtResolverOptions): DomainResolverPort {
  const resolver = new Resolver({ timeout: opts.timeoutMs ?? 3000, tries: opts.tries ?? 2 });
  if (opts.servers.length > 0) resolver.setServers([...opts.servers]);
  return {
    async lookupTxt(name: string): Promise<TxtLookup> {
      try {
        const records = await resolver.resolveTxt(name);
        // A TXT record may be split into several character strings of up to 255 bytes each.
        return { status: 'found', values: records.map((chunks) => chunks.join('')) };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
        return ABSENT.has(code) ? { status: 'not_found' } : { status: 'unavailable', reason: code };
      }
    },
  };
}
