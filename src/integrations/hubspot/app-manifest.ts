import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { InstallScopes } from '../../app/ports/hubspot-oauth.js';

/** `app.json` at the project root: the HubSpot app definition, source of truth for scopes. */
export const APP_MANIFEST_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'app.json');

const scope = z.string().regex(/^[\w.-]+$/, 'is not a scope name');

const manifest = z.object({
  config: z.object({
    auth: z.object({
      requiredScopes: z.array(scope).min(1),
      optionalScopes: z.array(scope).default([]),
    }),
  }),
});

/**
 * Reads the install scopes from app.json (once, at startup), so the install URL always asks for
 * exactly what HubSpot has registered for the app. A broken file stops the service with a reason.
 */
export function readInstallScopes(path: string = APP_MANIFEST_PATH): InstallScopes {
  const parsed = manifest.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  const { requiredScopes, optionalScopes } = parsed.data.config.auth;
  return Object.freeze({ required: Object.freeze([...requiredScopes]), optional: Object.freeze([...optionalScopes]) });
}
