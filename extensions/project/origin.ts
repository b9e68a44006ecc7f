/**
 * Which service origin HubSpot will accept in the uploaded project. HubSpot documents that
 * `permittedUrls.fetch` entries "must be valid HTTPS URLs and cannot be localhost" and that a
 * webhooks `targetUrl` must be a publicly available HTTPS endpoint; local development goes through
 * the CLI's `local.json` proxy instead (docs/hubspot.md, "The project and its components").
 */
import { webhookUrlProblem } from '../../src/domain/webhooks.js';

/** Thrown by the project build when the configured origin cannot be uploaded. */
export class ProjectOriginError extends Error {
  override readonly name = 'ProjectOriginError';
}

/**
 * Why HubSpot could not call `publicBaseUrl` from a card or a webhook, or null when it can:
 * https only; never this machine (`localhost`, `*.localhost`, loopback literals), a private,
 * link-local or unspecified IP literal, an mDNS `.local` name or a single-label host name (none
 * of them resolves from HubSpot's servers). Host names are not resolved: the build runs offline.
 */
export function serviceOriginProblem(publicBaseUrl: string): string | null {
  const problem = webhookUrlProblem(publicBaseUrl, { allowLoopback: false });
  if (problem) return problem;
  const host = new URL(publicBaseUrl).hostname.toLowerCase();
  const ipLiteral = host.startsWith('[') || /^[\d.]+$/.test(host);
  if (host.endsWith('.local')) return 'must not be a .local (mDNS) name, which HubSpot cannot resolve';
  if (!ipLiteral && !host.includes('.')) return 'must be a public host name (a single-label name such as "myhost" does not resolve from HubSpot)';
  return null;
}

/** The origin of `publicBaseUrl`, or a ProjectOriginError naming the variable and the reason. */
export function publicServiceOrigin(publicBaseUrl: string): string {
  const problem = serviceOriginProblem(publicBaseUrl);
  if (problem) {
    throw new ProjectOriginError(
      `PUBLIC_BASE_URL (${publicBaseUrl}) ${problem}. HubSpot only lets cards fetch, and only sends webhooks to, public https ` +
        'origins. Build with the public https URL of the service (or of an HTTPS tunnel to it); for `hs project dev` against a ' +
        'local service, map that https origin to http://localhost:<port> in src/app/local.json (see docs/hubspot.md).',
    );
  }
  return new URL(publicBaseUrl).origin;
}
