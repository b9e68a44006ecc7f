import { hostedPaths } from './hosted/openapi.js';
import { invoicePaths } from './invoices/openapi.js';
import { financePaths } from './finance/openapi.js';
import { oauthPaths } from './oauth/openapi.js';
import { componentSchemas, type Paths } from './openapi-parts.js';
import { recordPaths } from './records/openapi.js';
import { metricsPaths, servicePaths } from './service-openapi.js';
import { settingsPaths } from './settings/openapi.js';
import { stripePaths } from './stripe/openapi.js';
import { userPaths } from './users/openapi.js';
import { webhookEndpointPaths } from './webhook-endpoints/openapi.js';
import { webhookPaths } from './webhooks/openapi.js';

/** Every resource's paths, in the order the document lists them. */
const RESOURCES: Paths[] = [
  invoicePaths,
  recordPaths,
  settingsPaths,
  financePaths,
  webhookEndpointPaths,
  userPaths,
  stripePaths,
  oauthPaths,
  webhookPaths,
  hostedPaths,
  servicePaths,
];

/**
 * The OpenAPI 3.1 document of the API (GET /api/v1/openapi.json), generated, never written by hand:
 * each resource's `openapi.ts` describes its routes with the zod schemas that validate the
 * requests (`schema.ts`) and type the presenters (`response.ts`), so the document cannot drift
 * from what the service accepts and answers. test/openapi.test.ts checks that every route the
 * routers register is in it with schemas.
 */
export function openApiDocument(serverUrl: string, served: { metrics: boolean } = { metrics: false }) {
  const paths: Paths = {};
  for (const resource of served.metrics ? [...RESOURCES, metricsPaths] : RESOURCES) {
    for (const [path, item] of Object.entries(resource)) {
      if (paths[path]) throw new Error(`OpenAPI path ${path} is described twice`);
      paths[path] = item;
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'HubSpot invoicing API', version: '1' },
    servers: [{ url: serverUrl }],
    components: { schemas: componentSchemas(), securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
