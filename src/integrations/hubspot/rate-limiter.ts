/**
 * In-memory sliding-window limiter, one window per key (per HubSpot portal).
 *
 * HubSpot limits marketplace apps per installed account over a rolling window (110 requests per
 * 10 s, policy "TEN_SECONDLY_ROLLING"), so a sliding log of start times is the matching model: a
 * request may start when fewer than `max` requests started in the last `intervalMs`. Callers of
 * one key are served in arrival order (a promise chain per key), so a burst can neither starve a
 * caller nor overshoot the window. Each process has its own windows: with N processes per portal,
 * give each a share of the limit.
 */

export interface RateLimit {
  /** Requests allowed to start per window. */
  max: number;
  /** Window length in milliseconds. */
  intervalMs: number;
}

export interface SlidingWindowLimiterOptions extends RateLimit {
  /** Current time in ms; injectable for tests. */
  now?: () => number;
  /** Waits `ms`; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

interface Window {
  /** Start times inside the current window, oldest first. */
  starts: number[];
  /** Settles when the previous caller got its slot. */
  tail: Promise<void>;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class SlidingWindowLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly max: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(opts: SlidingWindowLimiterOptions) {
    if (!Number.isInteger(opts.max) || opts.max < 1) throw new RangeError('limiter max must be a positive integer');
    if (!(opts.intervalMs > 0)) throw new RangeError('limiter intervalMs must be positive');
    this.max = opts.max;
    this.intervalMs = opts.intervalMs;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? defaultSleep;
  }

  /** Resolves when a request for `key` may start; the start is counted at that moment. */
  acquire(key: string): Promise<void> {
    let window = this.windows.get(key);
    if (!window) {
      window = { starts: [], tail: Promise.resolve() };
      this.windows.set(key, window);
    }
    const w = window;
    const turn = w.tail.then(() => this.takeSlot(w));
    // A failing sleep must not block everyone queued behind it.
    w.tail = turn.catch(() => undefined);
    return turn;
  }

  private async takeSlot(w: Window): Promise<void> {
    for (;;) {
      const now = this.now();
      while (w.starts.length > 0 && w.starts[0]! <= now - this.intervalMs) w.starts.shift();
      if (w.starts.length < this.max) {
        w.starts.push(now);
        return;
      }
      await this.sleep(w.starts[0]! + this.intervalMs - now);
    }
  }
}
