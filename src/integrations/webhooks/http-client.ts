/**
 * The outbound webhook HTTP client: an undici `Agent` whose connector judges the address it is
 * about to connect to, at connect time, and connects to exactly that address.
 *
 * - A host name is resolved once per connection by the connector's `lookup`; if any address it
 *   resolves to is not allowed (src/domain/ip-address.ts: only public addresses, loopback with
 *   WEBHOOK_ALLOW_LOOPBACK), the connection is refused; otherwise the socket connects to the
 *   addresses just checked. No second resolution happens between check and connect, so a DNS
 *   answer that changes (rebinding) cannot slip an internal address in.
 * - An IP literal is never looked up by Node, so the connector judges the literal itself.
 * - TLS keeps the host name (SNI and certificate check) and the Host header stays the URL's.
 * - Redirects are never followed (undici's `request` does not follow them).
 */
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, request as undiciRequest } from 'undici';
import { WebhookSendError, type WebhookHttpPort, type WebhookRequest } from '../../app/ports/webhook-http.js';
import { addressKind, hostLiteral, isAllowedWebhookAddress } from '../../domain/ip-address.js';

/** Resolves a host name to its addresses. */
export type ResolveHost = (host: string) => Promise<string[]>;

/**
 * The system resolver: every address of the name. `dns.lookup` is read at call time, so it is
 * the same function Node's own sockets would use.
 */
function systemResolve(host: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    dns.lookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses.map((a) => a.address))));
  });
}

/** The connection was refused because of the address it would reach. */
class RefusedAddressError extends Error {
  readonly code = 'ERR_WEBHOOK_REFUSED_ADDRESS';
  constructor(host: string, address: string) {
    super(address === host ? `address ${address} is not allowed` : `${host} resolves to ${address}, which is not allowed`);
  }
}

/** Options of the client. */
export interface WebhookHttpClientOptions {
  /** WEBHOOK_ALLOW_LOOPBACK: loopback addresses (and only those) become reachable too. Default false. */
  allowLoopback?: boolean;
  /** Replaces the system resolver (tests). */
  resolveHost?: ResolveHost;
}

/** The webhook HTTP port, plus `close` to end its pooled connections at shutdown. */
export type WebhookHttpClient = WebhookHttpPort & { close(): Promise<void> };

/** Builds the client; one per process (its agent pools connections per origin). */
export function createWebhookHttpClient(opts: WebhookHttpClientOptions = {}): WebhookHttpClient {
  const policy = { allowLoopback: opts.allowLoopback ?? false };
  const resolve = opts.resolveHost ?? systemResolve;

  /** net/tls `lookup`: resolve once, refuse if any address is not allowed, hand back the checked ones. */
  const checkedLookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.find((a) => !isAllowedWebhookAddress(a, policy));
        if (refused !== undefined) return callback(new RefusedAddressError(hostname, refused), '', 0);
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
        const usable = addresses.map((address) => ({ address, family: isIP(address.split('%')[0]!) })).filter((a) => family === 0 || a.family === family);
        if (usable.length === 0) {
          return callback(Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND' }), '', 0);
        }
        // With `all` (happy eyeballs) Node expects the list; otherwise one address and its family.
        if (options.all) return (callback as unknown as (e: null, a: typeof usable) => void)(null, usable);
        return callback(null, usable[0]!.address, usable[0]!.family);
      },
      (err: unknown) => callback(err as NodeJS.ErrnoException, '', 0),
    );
  };

  const connectThroughLookup = buildConnector({ lookup: checkedLookup });
  const agent = new Agent({
    connect(options, callback) {
      // Node does not look an IP literal up, so the lookup never sees it: judge it here.
      const literal = hostLiteral(options.hostname);
      if (addressKind(literal) !== null && !isAllowedWebhookAddress(literal, policy)) {
        callback(new RefusedAddressError(literal, literal), null);
        return;
      }
      connectThroughLookup(options, callback);
    },
  });

  return {
    async post(req: WebhookRequest) {
      const timeout = AbortSignal.timeout(req.timeoutMs);
      const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
      try {
        const res = await undiciRequest(req.url, { dispatcher: agent, method: 'POST', body: req.body, headers: req.headers, signal });
        // The answer's body is of no use to us; read and drop a little of it so the connection can be reused.
        await res.body.dump({ limit: 16 * 1024 }).catch(() => undefined);
        return { status: res.statusCode };
      } catch (err) {
        if (req.signal?.aborted) throw req.signal.reason ?? err;
        throw classify(err, timeout.aborted, req.timeoutMs);
      }
    },
    close: () => agent.close(),
  };
}

/** The tenant-visible category of a failure, with the detail for the log. */
function classify(err: unknown, timedOut: boolean, timeoutMs: number): WebhookSendError {
  const chain: Array<{ name?: string; code?: string; message?: string }> = [];
  for (let e = err as { cause?: unknown } | undefined; e && chain.length < 5; e = e.cause as typeof e) chain.push(e as (typeof chain)[number]);
  const detail = chain
    .map((e) => [e.code, e.message].filter(Boolean).join(' '))
    .join(' <- ')
    .slice(0, 500);
  if (chain.some((e) => e.code === 'ERR_WEBHOOK_REFUSED_ADDRESS')) return new WebhookSendError('refused_address', detail);
  if (timedOut || chain.some((e) => e.name === 'TimeoutError')) return new WebhookSendError('timeout', `no answer within ${timeoutMs} ms`);
  return new WebhookSendError('network_error', detail || String(err));
}
