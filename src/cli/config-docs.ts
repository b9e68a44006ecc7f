import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { envExample, withConfigTable } from '../config-docs.js';

/** `npm run docs:config`: writes the README's configuration table and `.env.example` from the config schema. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const readmePath = `${root}README.md`;
writeFileSync(readmePath, withConfigTable(readFileSync(readmePath, 'utf8')));
writeFileSync(`${root}.env.example`, envExample());
console.log('wrote README.md (configuration table) and .env.example');
