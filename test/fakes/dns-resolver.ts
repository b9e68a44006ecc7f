import type { DomainResolverPort, TxtLookup } from '../../src/app/ports/domain-resolver.js';

/**
 * A DNS resolver for tests: TXT records set by name, a name marked `down` answers like a resolver
 * that timed out, any other name does not exist (NXDOMAIN). Records every name asked.
 */
export class FakeDnsResolver implements DomainResolverPort {
  private readonly records = new Map<string, string[] | 'down'>();
  readonly asked: string[] = [];

  /** The TXT values at `name` (each one record). */
  set(name: string, values: string[]): void {
    this.records.set(name, values);
  }

  /** Queries for `name` get no answer (a timeout). */
  down(name: string): void {
    this.records.set(name, 'down');
  }

  /** Forget every record. */
  clear(): void {
    this.records.clear();
    this.asked.length = 0;
  }

  async lookupTxt(name: string): Promise<TxtLookup> {
    this.asked.push(name);
    const found = this.records.get(name);
    if (found === 'down') return { status: 'unavailable', reason: 'ETIMEOUT' };
    return found ? { status: 'found', values: found } : { status: 'not_found' };
  }
}
