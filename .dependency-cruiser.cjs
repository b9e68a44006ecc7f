/**
 * The layer rules of src/, checked by `npm run lint:deps` (dependency-cruiser) in CI. Type-only
 * imports count: a layer that names another's types depends on it. docs/architecture.md explains
 * the layers; each rule's comment says what it protects.
 *
 *   domain       pure rules and records: imports only domain (no Node, no npm package)
 *   db           repositories (all SQL): domain, plus cross-cutting modules
 *   app          use cases and ports (src/app/ports): domain, db, app
 *   integrations one adapter per vendor: domain and the ports it implements (src/app/ports)
 *   http         routes, schemas, presenters: app and domain
 *   composition  src/main.ts and src/composition/: builds adapters and hands them in; the only
 *                code (with the jobs wiring it starts) that may import integrations
 *
 * Cross-cutting modules any layer but domain may use: src/config.ts, src/observability/,
 * src/documents/ (the PDF renderer).
 */

/** Test files and test helpers living next to the code (they may use vitest, fast-check, Node). */
const TESTS = '(\\.test\\.tsx?$|/test-helpers\\.ts$)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes load order matter and hides which module owns what.',
      // The local CRM sandbox (tools/, a development tool outside the layers) has one cycle through
      // a type-only import; it is cruised only because src/main.ts names its types.
      from: { pathNot: '^tools/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain imports only src/domain: no node:* module, no npm package, no other layer (the cards import the domain too).',
      from: { path: '^src/domain/', pathNot: TESTS },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'db-below-app',
      severity: 'error',
      comment: 'Repositories know the domain, never the use cases, routes or adapters that call them.',
      from: { path: '^src/db/', pathNot: TESTS },
      to: { path: '^src/(app|http|integrations|jobs|composition|cli)/|^src/(main|app)\\.ts$' },
    },
    {
      name: 'app-below-edges',
      severity: 'error',
      comment: 'Use cases reach the outside world only through ports (src/app/ports); adapters come in through Deps.',
      from: { path: '^src/app/', pathNot: TESTS },
      to: { path: '^src/(http|integrations|jobs|composition|cli)/|^src/(main|app)\\.ts$' },
    },
    {
      name: 'integrations-implement-ports',
      severity: 'error',
      comment: 'An adapter knows the domain and the port it implements, not use cases, repositories or routes.',
      from: { path: '^src/integrations/', pathNot: TESTS },
      to: { path: '^src/(app/(?!ports/)|db/|http/|jobs/|composition/|cli/)|^src/(main|app)\\.ts$' },
    },
    {
      name: 'http-through-use-cases',
      severity: 'error',
      comment: 'Routes call use cases; they never query the database or call an adapter themselves.',
      from: { path: '^src/http/', pathNot: TESTS },
      to: { path: '^src/(db|integrations|jobs|composition|cli)/|^src/main\\.ts$' },
    },
    {
      name: 'only-composition-builds-adapters',
      severity: 'error',
      comment: 'Adapters are built in one place (src/main.ts and src/composition/) and handed in; nothing else in src imports them.',
      from: { path: '^src/', pathNot: `^src/(main\\.ts$|composition/|integrations/)|${TESTS}` },
      to: { path: '^src/integrations/' },
    },
    {
      name: 'no-static-tools',
      severity: 'error',
      comment: 'tools/ (the local CRM sandbox) is not in the production image: src may load it only with a dynamic import (type-only imports are erased).',
      from: { path: '^src/' },
      to: { path: '^tools/', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'no-dev-deps-in-runtime',
      severity: 'error',
      comment: 'The production image installs dependencies only: runtime code must not import a devDependency.',
      from: { path: '^src/', pathNot: TESTS },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing package.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
