import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.js';
import { loadHubSpotSandbox, SANDBOX_MISSING_MESSAGE } from './sandbox-loader.js';

describe('loadHubSpotSandbox', () => {
  it('loads the emulator from tools/', async () => {
    const sandbox = await loadHubSpotSandbox();
    expect(sandbox.SANDBOX_HUB_ID).toBe(1234567);
    expect(typeof sandbox.startCrmSandbox).toBe('function');
  });

  it('explains a build that does not contain it with a ConfigError (main.ts prints its message, no stack)', async () => {
    const err = await loadHubSpotSandbox('../no-such-tool/index.js').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([SANDBOX_MISSING_MESSAGE]);
  });

  it('does the same under node and tsx, as the production image runs', () => {
    const script = `import('./src/sandbox-loader.ts').then((m) => m.loadHubSpotSandbox('../no-such-tool/index.js')).catch((e) => console.log(e.name, JSON.stringify(e.problems)))`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
    });
    expect(run.stdout.trim()).toBe(`ConfigError ${JSON.stringify([SANDBOX_MISSING_MESSAGE])}`);
  });

  it('does not hide a missing package the emulator imports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-loader-'));
    try {
      writeFileSync(join(dir, 'index.js'), "import 'no-such-package-of-the-sandbox';\n");
      const err = await loadHubSpotSandbox(pathToFileURL(join(dir, 'index.js')).href).catch((e: unknown) => e);
      expect(err).not.toBeInstanceOf(ConfigError);
      expect(String(err)).toContain('no-such-package-of-the-sandbox');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
