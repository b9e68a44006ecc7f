import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { envExample, withConfigTable } from '../config-docs.js';

/** `npm run docs:config`: writes the configuration table of docs/configuration.md and `.env.example` from the config schema. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const docPath = `${root}docs/configuration.md`;
writeFileSync(docPath, withConfigTable(readFileSync(docPath, 'utf8')));
writeFileSync(`${root}.env.example`, envExample());
console.log('wrote docs/configuration.md (configuration table) and .env.example');
