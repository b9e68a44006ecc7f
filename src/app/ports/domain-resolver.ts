/** What a TXT lookup found: the record values, no such name or record, or no answer at all. */
export type TxtLookup =
  | { status: 'found'; values: string[] }
  | { status: 'not_found' }
  /** The resolver did not answer (timeout, refused, SERVFAIL): nothing can be concluded. */
  | { status: 'unavailable'; reason: string };

/**
 * Reads DNS TXT records for domain verification (src/integrations/dns/txt-resolver.ts in
 * production, a fake in tests). There is no permissive implementation: a domain is verified only
 * when a resolver really returned its challenge token.
 */
export interface DomainResolverPort {
  /** The TXT records at `name`, each record's character strings joined into one value. */
  lookupTxt(name: string): Promise<TxtLookup>;
}
