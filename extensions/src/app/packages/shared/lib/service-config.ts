/**
 * Where the cards find the invoicing service. `npm run hubspot:project` writes this file anew
 * into the assembled project with the origin from the service's config (`PUBLIC_BASE_URL`), the
 * same origin it lists in `permittedUrls.fetch`; this copy is the local-development default.
 * No secrets here: HubSpot signs every `hubspot.fetch` request for the service.
 */
export const SERVICE_ORIGIN = 'http://localhost:3000';

/** Per-request timeout (HubSpot's default is 15 s); the service answers well within it. */
export const REQUEST_TIMEOUT_MS = 10_000;
