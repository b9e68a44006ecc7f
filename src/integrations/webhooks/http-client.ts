/**
 * The outbound webhook HTTP client: resolves the endpoint's host, refuses private addresses, and
 * POSTs with `fetch` under a timeout, never following a redirect.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { WebhookHttpPort, WebhookRequest } from '../../app/ports/webhook-http.js';
import { isPrivateAddress } from '../../domain/ip-address.js';

/** Resolves a host name to its addresses. */
export type ResolveHost = (host: string) => Promise<string[]>;

/** The system resolver: every address the name has, as the HTTP client would pick from. */
async function systemResolve(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why the endpoint's host must not be called now, or null: a name that resolves to a private,
 * loopback or link-local address (DNS rebinding, or a public name for an internal service) is
 * refused, like such an IP literal at registration. IP literals and development loopback names
 * were judged by webhookUrlProblem already. What `fetch` resolves a moment later can still
 * differ (a resolver answering differently twice); this check closes the plain cases.
 */
async function resolvedHostProblem(url: string, resolve: ResolveHost): Promise<string | null> {
  const host = new URL(url).hostname;
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0 || LOOPBACK_HOSTS.has(host)) return null;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (err) {
    return `its host ${host} does not resolve (${(err as { code?: string }).code ?? 'lookup failed'})`;
  }
  const internal = addresses.find(isPrivateAddress);
  return internal ? `its host ${host} resolves to a private, loopback or link-local address (${internal})` : null;
}

/** The webhook HTTP client; `resolveHost` replaces the system resolver (tests). */
export function createWebhookHttpClient(opts: { resolveHost?: ResolveHost } = {}): WebhookHttpPort {
  const resolve = opts.resolveHost ?? systemResolve;
  return {
    async post(request: WebhookRequest) {
      const hostProblem = await resolvedHostProblem(request.url, resolve);
      if (hostProblem) throw new Error(`the endpoint is not called: ${hostProblem}`);
      const timeout = AbortSignal.timeout(request.timeoutMs);
      const res = await fetch(request.url, {
        method: 'POST',
        body: request.body,
        // Never follow a redirect: it could lead anywhere, including into our own network.
        redirect: 'manual',
        signal: request.signal ? AbortSignal.any([timeout, request.signal]) : timeout,
        headers: request.headers,
      });
      // The answer's body is of no use to us; not reading it frees the connection at once.
      await res.body?.cancel().catch(() => undefined);
      return { status: res.status };
    },
  };
}
