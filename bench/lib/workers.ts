import { performance } from 'node:perf_hooks';

export interface PoolResult {
  /** Operations that completed without error. */
  ok: number;
  /** Errors thrown, in the order they happened. */
  errors: unknown[];
  /** Latency of each successful operation, in milliseconds. */
  latenciesMs: number[];
  /** Wall time from the first start to the last finish, in milliseconds. */
  elapsedMs: number;
  /** True when the deadline stopped the workers before every item was taken. */
  cutShort: boolean;
}

/**
 * Runs `op` over `items` with `clients` async workers, each pulling the next item as soon as
 * its previous operation settles (a closed loop, like N clients each with one request in flight).
 * After `deadlineMs` workers take no new items, so a slow machine still ends the phase.
 */
export async function runClients<T>(
  items: readonly T[],
  clients: number,
  op: (item: T) => Promise<unknown>,
  opts: { deadlineMs?: number } = {},
): Promise<PoolResult> {
  const latenciesMs: number[] = [];
  const errors: unknown[] = [];
  let next = 0;
  let cutShort = false;
  const started = performance.now();
  const stopAt = opts.deadlineMs === undefined ? Number.POSITIVE_INFINITY : started + opts.deadlineMs;

  async function worker(): Promise<void> {
    while (next < items.length) {
      if (performance.now() > stopAt) {
        cutShort = true;
        return;
      }
      const item = items[next++]!;
      const t0 = performance.now();
      try {
        await op(item);
        latenciesMs.push(performance.now() - t0);
      } catch (err) {
        errors.push(err);
      }
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, clients) }, () => worker()));
  return { ok: latenciesMs.length, errors, latenciesMs, elapsedMs: performance.now() - started, cutShort };
}
