/**
 * `npm run hubspot:project`: writes the uploadable HubSpot project to build/hubspot-project/,
 * with the service origin and OAuth redirect URL from the service's config. Exits 1, writing
 * nothing, when PUBLIC_BASE_URL is not a public https origin: HubSpot would refuse the upload
 * (permittedUrls.fetch) or never deliver a webhook to it.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { assembleProject } from './project/assemble.js';
import { ProjectOriginError } from './project/origin.js';

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
try {
  const files = assembleProject({ repoRoot, outDir, publicBaseUrl: config.publicBaseUrl, redirectUrl: config.hubspot.redirectUrl });
  console.log(`HubSpot project written to ${outDir} (${files.length} files); service origin ${new URL(config.publicBaseUrl).origin}`);
} catch (error) {
  if (!(error instanceof ProjectOriginError)) throw error;
  console.error(`npm run hubspot:project: ${error.message}`);
  process.exitCode = 1;
}
