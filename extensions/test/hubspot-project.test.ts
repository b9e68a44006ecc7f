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
import { join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { isTranslationError, translate } from '@hubspot/project-parsing-lib/translate';
import { collectWorkspaceDirectories, findAndParsePackageJsonFiles, validateWorkspaceProtocolDependencies } from '@hubspot/project-parsing-lib/workspaces';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { crmChangeOf, DEAL_CONTENT_PROPERTIES } from '../../src/http/webhooks/hubspot-events';
import { LINE_ITEM_PROPERTIES } from '../../src/integrations/hubspot/crm-mapping';
import { assembleProject, checkedLocalProxy, COMPONENT_DIRS, PLATFORM_VERSION, SHARED_DIR } from '../project/assemble';
import { ProjectOriginError } from '../project/origin';

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
  // https://developers.hubspot.com/docs/apps/developer-platform/add-features/configure-webhooks
  WEBHOOKS: {
    type: 'object',
    required: ['settings', 'subscriptions'],
    properties: {
      settings: {
        type: 'object',
        required: ['targetUrl', 'maxConcurrentRequests'],
        properties: { targetUrl: { type: 'string', pattern: '^https://' }, maxConcurrentRequests: { type: 'integer', minimum: 1 } },
      },
      subscriptions: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(
          ['crmObjects', 'legacyCrmObjects', 'hubEvents'].map((k) => [
            k,
            { type: 'array', items: { type: 'object', required: ['subscriptionType', 'active'], properties: { active: { type: 'boolean' } } } },
          ]),
        ),
      },
    },
  },
};

/**
 * The configuration fields of HubSpot's official 2025.2 templates (github.com/HubSpot/hubspot-project-components,
 * 2025.2/components/{app/oauth-marketplace,cards,settings,pages,webhooks}/src/app/...-hsmeta.json), as key
 * paths. Our components may leave out a template field only where this list says why.
 */
const TEMPLATE_FIELDS: Record<string, string[]> = {
  app: [
    'description',
    'name',
    'distribution',
    'auth',
    'auth.type',
    'auth.redirectUrls',
    'auth.requiredScopes',
    'auth.optionalScopes',
    'auth.conditionallyRequiredScopes',
    'permittedUrls',
    'permittedUrls.fetch',
    'permittedUrls.iframe',
    'permittedUrls.img',
    'support',
    'support.supportEmail',
    'support.documentationUrl',
    'support.supportUrl',
    'support.supportPhone',
  ],
  card: ['name', 'location', 'entrypoint', 'objectTypes'],
  settings: ['entrypoint'],
  page: ['entrypoint', 'location'],
  webhooks: [
    'settings',
    'settings.targetUrl',
    'settings.maxConcurrentRequests',
    'subscriptions',
    'subscriptions.crmObjects',
    'subscriptions.legacyCrmObjects',
    'subscriptions.hubEvents',
  ],
};
/** We publish no support phone number; the template's is a placeholder. */
const LEFT_OUT: Record<string, string[]> = { app: ['support.supportPhone'] };

function keyPaths(value: unknown, prefix = ''): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [prefix + k, ...keyPaths(v, `${prefix}${k}.`)]);
}

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
  const shared = `src/app/${SHARED_DIR}`;

  it('writes the 2025.2 layout with the service origin from config', () => {
    expect(json('hsproject.json')).toEqual({ name: 'invoices-for-hubspot', srcDir: 'src', platformVersion: PLATFORM_VERSION });
    const app = json('src/app/app-hsmeta.json');
    const source = JSON.parse(readFileSync(join(repoRoot, 'app.json'), 'utf8'));
    expect(app.config.permittedUrls.fetch).toEqual(['https://invoices.example.com']);
    expect(app.config.auth.redirectUrls).toEqual(['https://invoices.example.com/oauth/callback']);
    expect(app.config.auth.requiredScopes).toEqual(source.config.auth.requiredScopes);
    expect(readFileSync(join(outDir, shared, 'lib/service-config.ts'), 'utf8')).toContain('"https://invoices.example.com"');
    expect(json('src/app/webhooks/webhooks-hsmeta.json').config.settings.targetUrl).toBe('https://invoices.example.com/webhooks/hubspot');
    expect(files.some((f) => f.includes('.test.') || f.includes('node_modules') || f.endsWith('local.json'))).toBe(false);
  });

  it('packages the shared code as an npm workspace the components depend on (HubSpot code sharing)', async () => {
    expect(json('src/app/package.json').workspaces).toEqual(['cards', 'settings', 'pages', 'packages/*']);
    const sharedPackage = json(`${shared}/package.json`);
    expect(sharedPackage.name).toBe('@invoices/shared');
    // React and the UI-extensions SDK come from the component (one copy each in its bundle).
    expect(sharedPackage.peerDependencies).toEqual({ '@hubspot/ui-extensions': '0.17.0', react: '18.3.1' });
    expect(sharedPackage.dependencies).toBeUndefined();
    for (const dir of COMPONENT_DIRS) {
      expect(json(`src/app/${dir}/package.json`).dependencies).toEqual({
        '@hubspot/ui-extensions': '0.17.0',
        '@invoices/shared': sharedPackage.version,
        react: '18.3.1',
      });
    }
    // HubSpot's own workspace discovery (what the CLI runs before an upload) finds every workspace.
    const parsed = await findAndParsePackageJsonFiles(join(outDir, 'src'));
    const mappings = await collectWorkspaceDirectories(parsed);
    expect(mappings.map((m) => relative(join(outDir, 'src/app'), m.workspaceDir)).sort()).toEqual(['cards', 'packages/shared', 'pages', 'settings']);
    expect(() => validateWorkspaceProtocolDependencies(parsed, mappings)).not.toThrow();
    // The repository installs the same workspaces (root package.json), so the tests run what is uploaded.
    const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    for (const dir of [...COMPONENT_DIRS, 'packages/*']) expect(root.workspaces).toContain(`extensions/src/app/${dir}`);
  });

  it('is self-contained: the money module is copied and no import leaves its component or the shared package', () => {
    for (const file of ['totals.ts', 'numbering.ts']) {
      expect(readFileSync(join(outDir, shared, 'domain', file), 'utf8')).toBe(readFileSync(join(repoRoot, 'src/domain', file), 'utf8'));
    }
    for (const file of [
      'settings/components/StripeSection.tsx',
      'settings/components/UserPermissionsEditor.tsx',
      'pages/components/ExportPanel.tsx',
      'pages/components/AgingSection.tsx',
    ]) {
      expect(files, file).toContain(`src/app/${file}`);
    }
    const wire = readFileSync(join(outDir, shared, 'http/wire.ts'), 'utf8');
    expect(wire).toMatch(/^export type Invoice = \{$/m);
    expect(wire).not.toMatch(/\bimport\b|zod/);
    expect(readFileSync(join(outDir, shared, 'lib/wire.ts'), 'utf8')).toContain("from '../http/wire.js'");
    // HubSpot builds each component from its own folder (lint rule no-parent-imports): a relative
    // import must stay inside it; shared code is reached through the package name only.
    const roots = [...COMPONENT_DIRS.map((d) => `src/app/${d}`), shared];
    let packageImports = 0;
    for (const file of files.filter((f) => /\.tsx?$/.test(f))) {
      const root = roots.find((r) => file.startsWith(`${r}/`));
      expect(root, `${file} belongs to a component or the shared package`).toBeDefined();
      const source = readFileSync(join(outDir, file), 'utf8');
      for (const [, spec] of source.matchAll(/\bfrom\s+'([^']+)'/g)) {
        if (spec!.startsWith('@invoices/shared/')) {
          packageImports++;
          const base = join(outDir, shared, spec!.slice('@invoices/shared/'.length));
          expect(
            ['.ts', '.tsx'].some((ext) => existsSync(base + ext)),
            `${file} imports ${spec}`,
          ).toBe(true);
          continue;
        }
        if (!spec!.startsWith('.')) {
          expect(
            ['react', '@hubspot/ui-extensions'].some((p) => spec === p || spec!.startsWith(`${p}/`)),
            `${file} imports ${spec}`,
          ).toBe(true);
          continue;
        }
        const base = resolve(outDir, file, '..', spec!);
        const candidates = [base, `${base}.ts`, `${base}.tsx`, base.replace(/\.js$/, '.ts')];
        expect(
          candidates.some((c) => existsSync(c) && c.startsWith(join(outDir, root!) + '/')),
          `${file} imports ${spec}`,
        ).toBe(true);
      }
    }
    expect(packageImports).toBeGreaterThan(50);
  });

  it('subscribes to every change the webhook handler acts on, and each subscription means something to it', () => {
    const { subscriptions } = json('src/app/webhooks/webhooks-hsmeta.json').config as {
      subscriptions: Record<'crmObjects' | 'legacyCrmObjects' | 'hubEvents', { subscriptionType: string; propertyName?: string; active: boolean }[]>;
    };
    const all = [...subscriptions.crmObjects, ...subscriptions.legacyCrmObjects, ...subscriptions.hubEvents];
    expect(all.every((s) => s.active)).toBe(true);
    const props = (type: string) => all.filter((s) => s.subscriptionType === type).map((s) => s.propertyName);
    expect(new Set(props('deal.propertyChange'))).toEqual(new Set(DEAL_CONTENT_PROPERTIES));
    // hs_tax_rate is not a documented line-item property; HubSpot taxes lines through hs_tax_rate_group_id.
    const copied = LINE_ITEM_PROPERTIES.filter((p: string) => p !== 'hs_tax_rate');
    expect(props('line_item.propertyChange')).toEqual(expect.arrayContaining([...copied, 'hs_tax_rate_group_id']));
    for (const type of ['deal.associationChange', 'line_item.deletion', 'contact.deletion', 'contact.privacyDeletion']) expect(props(type)).toHaveLength(1);
    expect(subscriptions.hubEvents.map((s) => s.subscriptionType)).toEqual(['contact.privacyDeletion']);
    // What HubSpot sends for each subscription is turned into a change by the service's handler.
    for (const s of all) {
      const event = {
        eventId: '1',
        subscriptionId: '2',
        portalId: 1,
        occurredAt: 0,
        subscriptionType: s.subscriptionType,
        objectId: '10',
        propertyName: s.propertyName,
        ...(s.subscriptionType.endsWith('associationChange') ? { associationType: 'DEAL_TO_LINE_ITEM', fromObjectId: '10', toObjectId: '20' } : {}),
      };
      expect(crmChangeOf(event).kind, `${s.subscriptionType} ${s.propertyName ?? ''}`).not.toBe('none');
    }
  });

  it("matches HubSpot's 2025.2 templates field for field", () => {
    const components = files.filter((f) => f.endsWith('-hsmeta.json')).map((f) => json(f) as { type: string; config: unknown });
    expect(components.map((c) => c.type).sort()).toEqual(['app', 'card', 'page', 'settings', 'webhooks']);
    for (const { type, config } of components) {
      const ours = keyPaths(config);
      const template = TEMPLATE_FIELDS[type]!;
      expect(
        ours.filter((k) => !template.includes(k)),
        `${type}: fields no template has`,
      ).toEqual([]);
      expect(
        template.filter((k) => !ours.includes(k)),
        `${type}: template fields we lack`,
      ).toEqual(LEFT_OUT[type] ?? []);
    }
  });

  it("is accepted by HubSpot's parser (translate) with no errors", async () => {
    const { intermediateRepresentation, skippedHsMetaFiles } = await translate({
      projectSourceDir: join(outDir, 'src'),
      platformVersion: PLATFORM_VERSION,
      accountId: 1234567,
    });
    expect(skippedHsMetaFiles).toEqual([]);
    expect(schemaRequests).toContainEqual({ accountId: 1234567, url: `project-components-external/project-schemas/v3/${PLATFORM_VERSION}` });
    const nodes = intermediateRepresentation.intermediateNodesIndexedByUid;
    expect(Object.fromEntries(Object.entries(nodes).map(([uid, n]) => [uid, n.componentType]))).toEqual({
      invoicing_app: 'APPLICATION',
      invoices_record_card: 'CARD',
      invoices_settings: 'SETTINGS',
      invoices_home: 'PAGE',
      invoices_webhooks: 'WEBHOOKS',
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

describe('the service origin the project is built with', () => {
  const build = (publicBaseUrl: string, dir: string) =>
    assembleProject({ repoRoot, outDir: join(outDir, '..', dir), publicBaseUrl, redirectUrl: `${publicBaseUrl}/oauth/callback` });

  it.each([
    ['http://localhost:3000', /must be an https URL/],
    ['http://invoices.example.com', /must be an https URL/],
    ['https://localhost:3000', /loopback/],
    ['https://app.localhost', /loopback/],
    ['https://127.0.0.1', /loopback/],
    ['https://10.0.0.5', /private, link-local or other special-purpose/],
    ['https://192.168.1.20:8443', /private, link-local or other special-purpose/],
    ['https://[::1]:3000', /loopback|private/],
    ['https://[fd00::1]', /private, link-local or other special-purpose/],
    ['https://printer.local', /\.local/],
    ['https://devbox', /single-label/],
  ])('refuses %s and writes nothing', (url, reason) => {
    const dir = `refused-${Math.random().toString(36).slice(2)}`;
    let error: unknown;
    try {
      build(url, dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProjectOriginError);
    expect(String(error)).toMatch(reason);
    expect(String(error)).toContain('PUBLIC_BASE_URL');
    expect(existsSync(join(outDir, '..', dir))).toBe(false);
  });

  it('accepts a public https origin with a port and a path (the origin is what is listed)', () => {
    build('https://invoices.example.com:8443/base', 'accepted');
    const app = JSON.parse(readFileSync(join(outDir, '..', 'accepted/src/app/app-hsmeta.json'), 'utf8'));
    expect(app.config.permittedUrls.fetch).toEqual(['https://invoices.example.com:8443']);
    rmSync(join(outDir, '..', 'accepted'), { recursive: true, force: true });
  });

  it('`npm run hubspot:project` exits 1 with the reason when PUBLIC_BASE_URL is http://localhost', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'extensions/build-project.ts')], {
      cwd: repoRoot,
      env: { ...process.env, PUBLIC_BASE_URL: 'http://localhost:3000', NODE_ENV: 'development' },
      encoding: 'utf8',
      timeout: 100_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('PUBLIC_BASE_URL (http://localhost:3000) must be an https URL');
    expect(run.stdout).not.toContain('HubSpot project written');
  }, 120_000);

  it("checks the developer's local.json proxy (https origin keys, no paths, covering the built origin)", () => {
    const origin = 'https://dev-tunnel.example.com';
    expect(checkedLocalProxy(JSON.stringify({ proxy: { [origin]: 'http://localhost:3000' } }), origin)).toEqual({
      proxy: { [origin]: 'http://localhost:3000' },
    });
    expect(() => checkedLocalProxy(JSON.stringify({ proxy: { 'http://dev-tunnel.example.com': 'http://localhost:3000' } }), origin)).toThrow(/https origin/);
    expect(() => checkedLocalProxy(JSON.stringify({ proxy: { [`${origin}/api`]: 'http://localhost:3000' } }), origin)).toThrow(/does not route by path/);
    expect(() => checkedLocalProxy(JSON.stringify({ proxy: { 'https://other.example.com': 'http://localhost:3000' } }), origin)).toThrow(/no proxy entry/);
    expect(() => checkedLocalProxy('{', origin)).toThrow(/not valid JSON/);
  });
});
