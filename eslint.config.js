// ESLint (flat config): the recommended JavaScript and typescript-eslint rules, without type
// information (fast enough for every CI run). Style is prettier's job (.prettierrc.json); the
// layer rules are dependency-cruiser's (.dependency-cruiser.cjs).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    // Installed packages, build output (build/hubspot-project is what `npm run hubspot:project`
    // writes), coverage and the embedded database's data directory.
    ignores: ['**/node_modules/', 'dist/', 'build/', 'coverage/', '.data/', 'extensions/build/', 'extensions/dist/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a binding kept on purpose (an Express error handler's `_next`,
      // the rest of an object after dropping a few keys).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // A `let` read by a closure before its single assignment (a server created before its handler) cannot be a const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Row mappers take knex's untyped rows, and tests poke into parsed JSON: `any` is where the types start.
    files: ['src/db/**', 'test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
);
