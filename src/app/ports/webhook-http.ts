/** One outbound webhook request: a JSON body POSTed to a subscriber's endpoint. */
export interface WebhookRequest {
  url: string;
  body: string;
  /** Sent as given (content type, event id and type, attempt, signature). */
  headers: Record<string, string>;
  /** A receiver slower than this fails the attempt (category `timeout`). */
  timeoutMs: number;
  /** Aborted at shutdown: the request in flight is cut. */
  signal?: AbortSignal;
}

/**
 * Why an attempt got no HTTP answer, as coarse as a tenant may see it: `timeout` (no answer in
 * time), `refused_address` (the address is not one webhooks may reach), `network_error` (anything
 * else: no such host, connection refused or reset, TLS). Finer categories would let a tenant map
 * the service's network (a port scanner); the detail goes to the log only.
 */
export type WebhookFailureCategory = 'timeout' | 'refused_address' | 'network_error';

/** A failed send: its category, and the detail for the log (never for the tenant). */
export class WebhookSendError extends Error {
  constructor(
    readonly category: WebhookFailureCategory,
    /** The socket or resolver error, the refused address: log only. */
    readonly detail: string,
  ) {
    super(`webhook not delivered: ${category}`);
    this.name = 'WebhookSendError';
  }
}

/**
 * Calls webhook receivers (src/integrations/webhooks/http-client.ts). The client connects only to
 * an address it checked at connect time (public, or loopback with WEBHOOK_ALLOW_LOOPBACK): the
 * host name is resolved once per connection and the checked address is the one connected to, so
 * DNS rebinding cannot slip another in. Redirects are never followed.
 */
export interface WebhookHttpPort {
  /**
   * POSTs the request and returns the receiver's HTTP status (its body is discarded). Throws a
   * `WebhookSendError` when there is no HTTP answer; `request.signal` aborting throws its reason.
   */
  post(request: WebhookRequest): Promise<{ status: number }>;
}
