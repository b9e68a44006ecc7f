import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';
import { lockEmbeddedDatabase } from './embedded-lock.js';

/** Where migrations live: `migrations/` at the project root, shared by PostgreSQL and PGlite. */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;

/**
 * bigint columns hold minor units and counters; JS numbers are exact up to 2^53, and every money
 * guard keeps amounts inside that range, so a larger value here is corruption, not data.
 */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`bigint value ${text} is outside the safe integer range`);
  return n;
}

/** Dates stay `YYYY-MM-DD` strings: a JS Date would drag in a time zone. Numerics stay strings. */
const parsers: Record<number, (text: string) => unknown> = {
  [OID.INT8]: parseInt8,
  [OID.DATE]: (text) => text,
  [OID.NUMERIC]: (text) => text,
};

/** Where the database lives: a server URL, a PGlite directory, or PGlite in memory. */
export type DatabaseTarget = { url: string } | { dataDir: string } | { memory: true };

/**
 * Opens a knex instance on PostgreSQL (through `pg`) or embedded PGlite, with the same type
 * parsing on both, so repositories see identical rows whichever engine runs underneath.
 */
export function connect(target: DatabaseTarget, opts: { poolMax?: number } = {}): Knex {
  if ('url' in target) {
    return knexFactory({
      client: 'pg',
      connection: {
        connectionString: target.url,
        types: {
          getTypeParser: ((oid: number, format?: string) => parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
        },
      } as Knex.PgConnectionConfig,
      pool: { min: 0, max: opts.poolMax ?? 10 },
    });
  }
  // Another process must not open the same directory while this one has it (knex's destroy closes PGlite, which releases it).
  const release = 'dataDir' in target ? lockEmbeddedDatabase(target.dataDir) : () => undefined;
  const pglite = new PGlite({ ...('dataDir' in target ? { dataDir: target.dataDir } : {}), parsers });
  const close = pglite.close.bind(pglite);
  pglite.close = async () => {
    try {
      await close();
    } finally {
      release();
    }
  };
  return knexFactory({
    // knex-pglite keeps exactly one connection: concurrent transactions queue for it.
    client: ClientPgLite as unknown as typeof Knex.Client,
    dialect: 'postgres',
    connection: (() => ({ pglite })) as unknown as Knex.StaticConnectionConfig,
  });
}

/** Reads `migrations/*.ts` (or `.js` when compiled) in name order and imports them on demand. */
class DirectoryMigrationSource implements Knex.MigrationSource<string> {
  constructor(private readonly dir: string) {}
  async getMigrations(): Promise<string[]> {
    const files = await readdir(this.dir);
    return files.filter((f) => /^\d{14}_[a-z0-9_]+\.(ts|js)$/.test(f)).sort();
  }
  getMigrationName(file: string): string {
    return file.replace(/\.(ts|js)$/, '');
  }
  async getMigration(file: string): Promise<Knex.Migration> {
    return (await import(pathToFileURL(join(this.dir, file)).href)) as Knex.Migration;
  }
}

/** The migrator configuration used by boot, the CLI and tests. */
export function migrationConfig(): Knex.MigratorConfig {
  return { migrationSource: new DirectoryMigrationSource(MIGRATIONS_DIR) };
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig())) as [number, string[]];
  return applied;
}

/** Throws when the database does not answer (the readiness probe's first question). */
export async function pingDatabase(db: Knex): Promise<void> {
  await db.raw('select 1');
}

/** True when no migration is pending (used by /readyz). */
export async function migrationsCurrent(db: Knex): Promise<boolean> {
  const [, pending] = (await db.migrate.list(migrationConfig())) as [unknown[], unknown[]];
  return pending.length === 0;
}
