/**
 * `npm run hubspot:project`: writes the uploadable HubSpot project to build/hubspot-project/,
 * with the service origin and OAuth redirect URL from the service's config.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { assembleProject } from './project/assemble.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Only the public URLs are needed: placeholder secrets keep loadConfig from generating real
// ones in DATA_DIR as a side effect of a build.
const config = loadConfig({
  ...process.env,
  API_TOKEN_SECRET: 'x'.repeat(32),
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
  HUBSPOT_CLIENT_ID: 'unused',
  HUBSPOT_CLIENT_SECRET: 'unused',
});
const outDir = join(repoRoot, 'build', 'hubspot-project');
const files = assembleProject({ repoRoot, outDir, publicBaseUrl: config.publicBaseUrl, redirectUrl: config.hubspot.redirectUrl });
console.log(`HubSpot project written to ${outDir} (${files.length} files); service origin ${new URL(config.publicBaseUrl).origin}`);
if (!config.publicBaseUrl.startsWith('https://')) {
  console.log('Note: HubSpot only lets cards fetch HTTPS origins; set PUBLIC_BASE_URL to the public https URL before uploading.');
}
