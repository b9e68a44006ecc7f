/** One outbound webhook request: a JSON body POSTed to a subscriber's endpoint. */
export interface WebhookRequest {
  url: string;
  body: string;
  /** Sent as given (content type, event id and type, attempt, signature). */
  headers: Record<string, string>;
  /** A receiver slower than this fails the attempt (the error is a `TimeoutError`). */
  timeoutMs: number;
  /** Aborted at shutdown: the request in flight is cut. */
  signal?: AbortSignal;
}

/**
 * Calls webhook receivers (src/integrations/webhooks/http-client.ts). Before each call the host
 * name is resolved and a name that resolves to a private, loopback or link-local address is
 * refused (DNS rebinding), like such an IP literal at registration; redirects are never followed.
 */
export interface WebhookHttpPort {
  /**
   * POSTs the request and returns the receiver's HTTP status (its body is discarded). Throws when
   * the host is refused or does not resolve (the message says why), on timeout, and when the
   * connection fails.
   */
  post(request: WebhookRequest): Promise<{ status: number }>;
}
