import pg from 'pg';

/** Databases shared with tests and tools: the benchmark refuses to write into them. */
const SHARED_DATABASES = new Set(['test', 'root', 'postgres', 'template0', 'template1']);

/** The database name in a postgres:// URL (the path without its slash). */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`${redact(url)} names no database`);
  return name;
}

/** The URL with any password replaced, fit for printing. */
export function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/**
 * Makes sure the benchmark's own database exists: connects to the `postgres` maintenance
 * database on the same server and creates it when missing. Refuses the shared databases, so a
 * mistyped URL never fills test data with benchmark invoices. Returns true when it was created.
 * `fresh` drops it first: for a benchmark whose data would otherwise pile up run after run.
 */
export async function ensureBenchDatabase(url: string, opts: { fresh?: boolean } = {}): Promise<boolean> {
  const name = databaseName(url);
  if (SHARED_DATABASES.has(name)) {
    throw new Error(`refusing to benchmark in the shared database "${name}": point BENCH_DATABASE_URL at a database of its own`);
  }
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    if (opts.fresh) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      return true;
    } catch (err) {
      // 42P04 duplicate_database: a concurrent run created it first, which is just as good.
      if ((err as { code?: string }).code === '42P04') return false;
      throw err;
    }
  } finally {
    await client.end();
  }
}
