/**
 * Runs HubSpot's own project parser (`@hubspot/project-parsing-lib` translate) over the
 * project `npm run hubspot:project` assembles.
 *
 * translate() validates each component's config against JSON schemas it downloads from
 * HubSpot's API for an account (`project-components-external/project-schemas/v3/{version}`),
 * which needs credentials and the network. Only that download is replaced here, by schemas
 * holding the fields HubSpot's docs require; everything else is the parser's own code: file
 * discovery, JSON parsing, allowed top-level fields, uid rules, component folders, the app
 * dependency, single-instance components and the platform version.
 */
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isTranslationError, translate } from '@hubspot/project-parsing-lib/translate';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { assembleProject, PLATFORM_VERSION } from '../project/assemble';

const schemaRequests: unknown[] = [];
vi.mock('@hubspot/local-dev-lib/http', () => ({
  http: {
    get: async (accountId: number, options: { url: string }) => {
      schemaRequests.push({ accountId, url: options.url });
      return { data: SCHEMAS };
    },
  },
}));

const entrypoint = (dir: string) => ({ type: 'string', pattern: `^/app/${dir}/[^/]+\\.(jsx|tsx)$` });
const SCHEMAS = {
  APPLICATION: {
    type: 'object',
    required: ['name', 'distribution', 'auth', 'permittedUrls', 'support'],
    properties: {
      name: { type: 'string', minLength: 1 },
      distribution: { enum: ['marketplace', 'private'] },
      auth: {
        type: 'object',
        required: ['type', 'redirectUrls', 'requiredScopes'],
        properties: {
          type: { enum: ['oauth', 'static'] },
          redirectUrls: { type: 'array', minItems: 1, items: { type: 'string', format: 'uri' } },
          requiredScopes: { type: 'array', contains: { const: 'oauth' } },
        },
      },
      permittedUrls: { type: 'object', properties: { fetch: { type: 'array', items: { type: 'string', format: 'uri' } } } },
    },
  },
  CARD: {
    type: 'object',
    required: ['name', 'location', 'entrypoint'],
    properties: {
      name: { type: 'string', minLength: 1 },
      location: { enum: ['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar'] },
      entrypoint: entrypoint('cards'),
      objectTypes: { type: 'array', items: { type: 'string' } },
    },
  },
  SETTINGS: { type: 'object', required: ['entrypoint'], properties: { entrypoint: entrypoint('settings') } },
  PAGE: { type: 'object', required: ['entrypoint', 'location'], properties: { entrypoint: entrypoint('pages'), location: { const: 'home' } } },
};

const repoRoot = resolve(import.meta.dirname, '..', '..');
const outDir = join(mkdtempSync(join(tmpdir(), 'hs-project-')), 'hubspot-project');
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('npm run hubspot:project', () => {
  const files = assembleProject({
    repoRoot,
    outDir,
    publicBaseUrl: 'https://invoices.example.com/',
    redirectUrl: 'https://invoices.example.com/oauth/callback',
  });
  const json = (path: string) => JSON.parse(readFileSync(join(outDir, path), 'utf8'));

  it('writes the 2025.2 layout with the service origin from config', () => {
    expect(json('hsproject.json')).toEqual({ name: 'invoices-for-hubspot', srcDir: 'src', platformVersion: PLATFORM_VERSION });
    const app = json('src/app/app-hsmeta.json');
    const source = JSON.parse(readFileSync(join(repoRoot, 'app.json'), 'utf8'));
    expect(app.config.permittedUrls.fetch).toEqual(['https://invoices.example.com']);
    expect(app.config.auth.redirectUrls).toEqual(['https://invoices.example.com/oauth/callback']);
    expect(app.config.auth.requiredScopes).toEqual(source.config.auth.requiredScopes);
    expect(readFileSync(join(outDir, 'src/app/shared/lib/service-config.ts'), 'utf8')).toContain('"https://invoices.example.com"');
    for (const dir of ['cards', 'settings', 'pages']) {
      expect(json(`src/app/${dir}/package.json`).dependencies).toEqual({ '@hubspot/ui-extensions': '0.17.0', react: '18.3.1' });
    }
    expect(files.some((f) => f.includes('.test.'))).toBe(false);
  });

  it('is self-contained: the money module is copied and no import leaves the project', () => {
    for (const file of ['totals.ts', 'numbering.ts']) {
      expect(readFileSync(join(outDir, 'src/app/shared/domain', file), 'utf8')).toBe(readFileSync(join(repoRoot, 'src/domain', file), 'utf8'));
    }
    // Every component the settings page and home page are built from is in the upload.
    for (const file of [
      'settings/components/StripeSection.tsx',
      'settings/components/UserPermissionsEditor.tsx',
      'pages/components/ExportPanel.tsx',
      'pages/components/AgingSection.tsx',
    ]) {
      expect(files, file).toContain(`src/app/${file}`);
    }
    // The wire types are written out without zod (the upload has no zod) and import nothing.
    const wire = readFileSync(join(outDir, 'src/app/shared/http/wire.ts'), 'utf8');
    expect(wire).toMatch(/^export type Invoice = \{$/m);
    expect(wire).not.toMatch(/\bimport\b|zod/);
    expect(readFileSync(join(outDir, 'src/app/shared/lib/wire.ts'), 'utf8')).toContain("from '../http/wire.js'");
    for (const file of files.filter((f) => /\.tsx?$/.test(f))) {
      const source = readFileSync(join(outDir, file), 'utf8');
      for (const [, spec] of source.matchAll(/\bfrom\s+'(\.[^']+)'/g)) {
        const base = resolve(outDir, file, '..', spec!);
        const candidates = [base, `${base}.ts`, `${base}.tsx`, base.replace(/\.js$/, '.ts')];
        expect(
          candidates.some((c) => existsSync(c) && c.startsWith(join(outDir, 'src'))),
          `${file} imports ${spec}`,
        ).toBe(true);
      }
    }
  });

  it("is accepted by HubSpot's parser (translate) with no errors", async () => {
    const { intermediateRepresentation, skippedHsMetaFiles } = await translate({
      projectSourceDir: join(outDir, 'src'),
      platformVersion: PLATFORM_VERSION,
      accountId: 1234567,
    });
    expect(skippedHsMetaFiles).toEqual([]);
    expect(schemaRequests).toEqual([{ accountId: 1234567, url: `project-components-external/project-schemas/v3/${PLATFORM_VERSION}` }]);
    const nodes = intermediateRepresentation.intermediateNodesIndexedByUid;
    expect(Object.fromEntries(Object.entries(nodes).map(([uid, n]) => [uid, n.componentType]))).toEqual({
      invoicing_app: 'APPLICATION',
      invoices_record_card: 'CARD',
      invoices_settings: 'SETTINGS',
      invoices_home: 'PAGE',
    });
    for (const node of Object.values(nodes)) {
      const entry = (node.config as { entrypoint?: string }).entrypoint;
      if (entry) expect(existsSync(join(outDir, 'src', entry)), entry).toBe(true);
      if (node.componentType !== 'APPLICATION') expect(node.componentDeps.app).toBe('invoicing_app');
    }
  });

  it('the parser does reject a broken project (the check has teeth)', async () => {
    const broken = join(outDir, '..', 'broken');
    assembleProject({ repoRoot, outDir: broken, publicBaseUrl: 'https://x.example.com', redirectUrl: 'https://x.example.com/cb' });
    const card = join(broken, 'src/app/cards/invoices-card-hsmeta.json');
    const meta = JSON.parse(readFileSync(card, 'utf8'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(card, JSON.stringify({ ...meta, extra: true }));
    const failure = await translate({ projectSourceDir: join(broken, 'src'), platformVersion: PLATFORM_VERSION, accountId: 1 }).catch((e: unknown) => e);
    expect(isTranslationError(failure)).toBe(true);
    expect(String(failure)).toContain('Unexpected top-level properties found: extra');
    rmSync(broken, { recursive: true, force: true });
  });
});
