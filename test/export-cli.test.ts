import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, migrateToLatest } from '../src/db/connect.js';
import { EXPORT_FORMATS } from '../src/domain/exports/formats.js';
import { fixedClock, testApp, TEST_SECRET, type Api } from './helpers/app.js';
import { fixtureSet, parseCsv, type ExportSet } from './helpers/csv.js';
import { onServer, openTestDb } from './helpers/db.js';

/**
 * `npm run export` as a child process: against a PGlite DATA_DIR seeded here through the API's
 * use cases (or TEST_DATABASE_URL), its file must equal the HTTP export byte for byte.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'src', 'cli', 'export.ts');

let tmp: string;
let db: Knex | null = null;
let set: ExportSet;
let childEnv: NodeJS.ProcessEnv;
/** HTTP bytes per query path, fetched before the database is handed to the child. */
const http = new Map<string, Buffer>();
/** The batch id of each HTTP export above. */
const batchOf = new Map<string, string>();

async function bytes(api: Api, path: string, key?: string): Promise<Buffer> {
  const res = await api
    .get(path)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  expect(res.status, path).toBe(200);
  if (key) batchOf.set(key, String(res.headers['x-export-batch-id']));
  return res.body as Buffer;
}

const BATCH = ' \\(batch [0-9a-f-]{36}\\)';

function runCli(args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { cwd: ROOT, env: childEnv, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr: stderr.toString('utf8') });
      },
    );
  });
}

const FILTERED = {
  cli: ['--from', '2026-11-02', '--to', '2026-11-04', '--status', 'void,paid', '--date-format', 'MM/DD/YYYY'],
  http: '?from=2026-11-02&to=2026-11-04&status=void,paid&dateFormat=MM/DD/YYYY',
};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'export-cli-'));
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'DATA_DIR', 'API_TOKEN_SECRET', 'TOKEN_ENCRYPTION_KEY'].includes(k)),
  );
  if (onServer) {
    db = await openTestDb();
    childEnv = {
      ...base,
      DATABASE_URL: process.env.TEST_DATABASE_URL!,
      API_TOKEN_SECRET: TEST_SECRET,
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      // The CLI reads the service's configuration, which on a real database requires the HubSpot
      // app's credentials (fail closed: no sandbox there); the export itself never calls HubSpot.
      HUBSPOT_CLIENT_ID: 'export-cli-test',
      HUBSPOT_CLIENT_SECRET: 'export-cli-test-secret',
      LOG_LEVEL: 'silent',
    };
  } else {
    db = connect({ dataDir: join(tmp, 'pglite') });
    await migrateToLatest(db);
    childEnv = { ...base, DATA_DIR: tmp, LOG_LEVEL: 'silent' };
  }
  const t = testApp(db, { clock: fixedClock('2026-11-28T12:00:00Z').now });
  set = await fixtureSet(t);
  for (const f of EXPORT_FORMATS) http.set(f, await bytes(set.api, `/api/v1/exports/${f}`, f));
  http.set('xero-csv filtered', await bytes(set.api, `/api/v1/exports/xero-csv${FILTERED.http}`));
  // PGlite is single-process: the child can only open the directory once this process let go.
  await db.destroy();
  db = null;
}, 120_000);

afterAll(async () => {
  if (db) await db.destroy();
  rmSync(tmp, { recursive: true, force: true });
});

describe('npm run export', () => {
  for (const format of EXPORT_FORMATS) {
    it(`${format}: --out file equals the HTTP export byte for byte, with a summary line`, async () => {
      const out = join(tmp, `out-${format}`);
      const r = await runCli(['--portal', String(set.portal), '--format', format, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const file = readFileSync(out);
      expect(file.length).toBeGreaterThan(0);
      expect(file.equals(http.get(format)!)).toBe(true);
      expect(existsSync(`${out}.partial`)).toBe(false);
      // Not a TTY: no progress, only the summary.
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      const invoices = format === 'csv' || format === 'json' ? 4 : 3; // voids only by default in csv/json
      expect(lines[0]).toMatch(
        new RegExp(
          `^export: ${format} portal ${set.portal}: ${invoices} invoices, \\d+ rows, ${file.length} bytes in \\d+\\.\\d\\d s -> ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${BATCH}$`,
        ),
      );
      if (format.endsWith('csv')) {
        const rows = parseCsv(file.toString('utf8')).length - 1;
        expect(lines[0]).toContain(`, ${rows} rows,`);
      }
    }, 60_000);
  }

  it('writes to stdout without --out, and applies --from/--to/--status/--date-format like the HTTP query', async () => {
    const r = await runCli(['--portal', String(set.portal), '--format', 'xero-csv', ...FILTERED.cli]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.equals(http.get('xero-csv filtered')!)).toBe(true);
    expect(r.stderr).toMatch(/^export: xero-csv portal \d+: 2 invoices, \d+ rows, \d+ bytes in [\d.]+ s -> stdout \(batch [0-9a-f-]{36}\)\n$/);
  }, 60_000);

  it('--incremental takes only what the target has not received (every earlier batch counts): here the header only', async () => {
    // qbo-csv got every open and paid invoice in the HTTP export above and in the --out test.
    const r = await runCli(['--portal', String(set.portal), '--format', 'qbo-csv', '--incremental']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseCsv(r.stdout.toString('utf8'))).toHaveLength(1);
    expect(r.stderr).toMatch(/^export: qbo-csv portal \d+: 0 invoices, 0 rows, /);
  }, 60_000);

  it('--batch writes a recorded batch again, byte for byte (here one made over HTTP)', async () => {
    const out = join(tmp, 'refetch.json');
    const r = await runCli(['--portal', String(set.portal), '--batch', batchOf.get('json')!, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out).equals(http.get('json')!)).toBe(true);
    expect(r.stderr).toContain(`(batch ${batchOf.get('json')}, re-fetched)`);
    const missing = await runCli(['--portal', String(set.portal), '--batch', '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no export batch 00000000-0000-4000-8000-000000000000');
  }, 60_000);

  it('exits 2 with the usage on bad arguments, before touching the database', async () => {
    const p = String(set.portal);
    const cases = [
      ['--format', 'csv'],
      ['--portal', 'abc', '--format', 'csv'],
      ['--portal', p],
      ['--portal', p, '--format', 'pdf'],
      ['--portal', p, '--format', 'csv', '--from', '2026-02-30'],
      ['--portal', p, '--format', 'csv', '--from', '2026-12-01', '--to', '2026-11-01'],
      ['--portal', p, '--format', 'csv', '--status', 'draft'],
      ['--portal', p, '--format', 'csv', '--unknown'],
      ['--portal', p, '--batch', 'nope'],
      ['--portal', p, '--batch', '00000000-0000-4000-8000-000000000000', '--format', 'csv'],
    ];
    // They exit before opening the database, so they can run side by side.
    const results = await Promise.all(cases.map((args) => runCli(args)));
    results.forEach((r, k) => {
      const what = cases[k]!.join(' ');
      expect(r.code, what).toBe(2);
      expect(r.stderr, what).toContain('usage: npm run export -- --portal <id> --format');
      expect(r.stdout.length, what).toBe(0);
    });
  }, 60_000);

  it.skipIf(onServer)(
    'fails with exit 1 and names the directory when the embedded database is missing',
    async () => {
      const empty = mkdtempSync(join(tmpdir(), 'export-cli-empty-'));
      try {
        const saved = childEnv;
        childEnv = { ...saved, DATA_DIR: empty };
        const r = await runCli(['--portal', String(set.portal), '--format', 'csv']);
        childEnv = saved;
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`no embedded database in ${join(empty, 'pglite')}`);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
