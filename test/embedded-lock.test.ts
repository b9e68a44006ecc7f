import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { connect, migrateToLatest } from '../src/db/connect.js';

const run = promisify(execFile);

describe('embedded database lock', () => {
  it('refuses a second process while one has the PGlite directory open, and lets it in after close', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lock-'));
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', API_TOKEN_SECRET: '', TOKEN_ENCRYPTION_KEY: '' };
    const db = connect({ dataDir: join(dataDir, 'pglite') });
    await migrateToLatest(db);
    await expect(run('npx', ['tsx', 'src/cli/migrate.ts'], { env })).rejects.toMatchObject({
      stderr: expect.stringContaining(`in use by process ${process.pid}`),
    });
    await db.destroy();
    const { stdout } = await run('npx', ['tsx', 'src/cli/migrate.ts'], { env });
    expect(stdout).toContain('already up to date');
    // Two `npx tsx` processes start here, each compiling the CLI: on a loaded 2-core machine that
    // alone has taken over 30 s.
  }, 120_000);
});
