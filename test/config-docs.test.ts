import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envExample, withConfigTable } from '../src/config-docs.js';
import { environmentVariables } from '../src/config.js';

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

/** The documented configuration is generated from the schema; these fail when someone forgets `npm run docs:config`. */
describe('configuration docs', () => {
  it('documents every variable the schema reads', () => {
    const vars = environmentVariables();
    expect(vars.length).toBeGreaterThan(20);
    for (const v of vars) {
      expect(v.doc.length, v.name).toBeGreaterThan(5);
      expect(v.default.length, v.name).toBeGreaterThan(0);
    }
  });

  it('docs/configuration.md carries the generated table', () => {
    const doc = read('docs/configuration.md');
    expect(withConfigTable(doc), 'run npm run docs:config').toBe(doc);
  });

  it('.env.example is the generated one', () => {
    expect(read('.env.example'), 'run npm run docs:config').toBe(envExample());
  });
});
