import type { RequestHandler } from 'express';

interface Bucket {
  tokens: number;
  at: number;
}

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Requests a client may make per minute (also the burst size). */
  perMinute: number;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
  /** Buckets kept before idle ones are swept (memory bound). */
  maxClients?: number;
}

/**
 * A token bucket per client IP (`req.ip`: the socket's peer, since the app does not trust proxy
 * headers). The buckets live in this process: behind N processes a client gets up to N times the
 * limit, and behind a reverse proxy every client shares the proxy's address. Over the limit the
 * answer is 429 with Retry-After in seconds.
 */
export function rateLimit(opts: RateLimitOptions): RequestHandler {
  const now = opts.now ?? (() => performance.now());
  const capacity = opts.perMinute;
  const perMs = opts.perMinute / 60_000;
  const maxClients = opts.maxClients ?? 10_000;
  const buckets = new Map<string, Bucket>();

  const sweep = (t: number) => {
    // A bucket that has refilled completely carries no state worth keeping.
    for (const [key, b] of buckets) if (b.tokens + (t - b.at) * perMs >= capacity) buckets.delete(key);
    // Still too many (a flood of distinct addresses): drop the oldest-inserted half.
    if (buckets.size > maxClients) {
      let drop = buckets.size - Math.floor(maxClients / 2);
      for (const key of buckets.keys()) {
        if (drop-- <= 0) break;
        buckets.delete(key);
      }
    }
  };

  return (req, res, next) => {
    const key = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const t = now();
    let b = buckets.get(key);
    if (!b) {
      if (buckets.size >= maxClients) sweep(t);
      b = { tokens: capacity, at: t };
      buckets.set(key, b);
    } else {
      b.tokens = Math.min(capacity, b.tokens + (t - b.at) * perMs);
      b.at = t;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      next();
      return;
    }
    const retryAfter = Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
    res.status(429).set('Retry-After', String(retryAfter)).type('text/plain').send('Too many requests; try again shortly.\n');
  };
}
