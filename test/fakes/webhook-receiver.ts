import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  raw: string;
  body: { id: string; type: string; occurredAt: string; portalId: number; data: { invoice: Record<string, unknown> } };
  /** 1-based index among all requests this receiver got. */
  n: number;
}

/**
 * What to do with a request: answer `status` (after `delayMs`), or `hold` it until the test
 * releases it with `releaseHeld(status)` (a receiver that hangs, or a worker that dies meanwhile).
 */
export type Behaviour = { status: number; delayMs?: number } | 'hold';

/**
 * A real HTTP server on 127.0.0.1 standing in for a customer's webhook endpoint, so timeouts,
 * refused connections and slow answers are what the worker's `fetch` really meets.
 */
export async function startWebhookReceiver(behave: (req: ReceivedWebhook) => Behaviour = () => ({ status: 200 })) {
  const received: ReceivedWebhook[] = [];
  const held: ServerResponse[] = [];
  const waiters: Array<() => void> = [];
  let behaviour = behave;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const hook: ReceivedWebhook = { headers: req.headers, raw, body: JSON.parse(raw) as ReceivedWebhook['body'], n: received.length + 1 };
      received.push(hook);
      for (const w of waiters.splice(0)) w();
      const b = behaviour(hook);
      if (b === 'hold') {
        held.push(res);
        return;
      }
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(b.status, { 'content-type': 'text/plain' }).end('ok');
      }, b.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/invoices`,
    received,
    /** Event ids in the order received (with repeats). */
    ids: () => received.map((r) => r.body.id),
    setBehaviour(next: (req: ReceivedWebhook) => Behaviour) {
      behaviour = next;
    },
    /** Resolves once at least `n` requests arrived. */
    async waitFor(n: number, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`receiver got ${received.length} requests, expected ${n}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    /** Answers every held request with `status` (or cuts them with `null`). */
    releaseHeld(status: number | null) {
      for (const res of held.splice(0)) {
        if (res.destroyed) continue;
        if (status === null) res.destroy();
        else res.writeHead(status).end('late');
      }
    },
    heldCount: () => held.length,
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/**
 * Checks `Invoicing-Signature` as a receiver would: recomputes HMAC-SHA256(secret, "t.body") and
 * compares in constant time. Returns the signed timestamp, or throws.
 */
export function verifySignature(secret: string, hook: ReceivedWebhook): number {
  const header = String(hook.headers['invoicing-signature'] ?? '');
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) throw new Error(`malformed signature header: ${header}`);
  const expected = createHmac('sha256', secret).update(`${m[1]}.${hook.raw}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'))) throw new Error('signature mismatch');
  return Number(m[1]);
}
