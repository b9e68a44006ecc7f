/**
 * The one place `hubspot.fetch` is mocked: a tiny in-memory stand-in for the service that
 * answers by "METHOD path" and records every request the cards make.
 */
import { hubspot } from '@hubspot/ui-extensions';
import { vi } from 'vitest';

export interface Recorded {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
  timeout: number | undefined;
}

export type Reply = { status: number; body?: unknown } | 'network-error' | 'never' | ((req: Recorded) => { status: number; body?: unknown });

export interface MockService {
  calls: Recorded[];
  /** Replaces or adds the answer for "METHOD /path" (query string included). */
  on(route: string, reply: Reply): void;
}

export const ok = (body: unknown) => ({ status: 200, body });
export const created = (body: unknown) => ({ status: 201, body });
export const fail = (status: number, code: string, message = code, details: unknown[] = []) => ({
  status,
  body: { error: { code, message, details } },
});

/** Installs the fake service for one test; `vi.restoreAllMocks()` removes it. */
export function mockService(routes: Record<string, Reply> = {}): MockService {
  const table = new Map(Object.entries(routes));
  const calls: Recorded[] = [];
  vi.spyOn(hubspot, 'fetch').mockImplementation(async (url, options) => {
    const u = new URL(String(url));
    const req: Recorded = {
      method: options?.method ?? 'GET',
      path: `${u.pathname}${u.search}`,
      body: options?.body,
      timeout: options?.timeout,
    };
    calls.push(req);
    const reply = table.get(`${req.method} ${req.path}`);
    if (reply === undefined)
      return new Response(JSON.stringify({ error: { code: 'not_found', message: `no mock for ${req.method} ${req.path}` } }), { status: 404 });
    if (reply === 'network-error') throw new Error('network down');
    if (reply === 'never') return new Promise<Response>(() => {});
    const { status, body } = typeof reply === 'function' ? reply(req) : reply;
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  return { calls, on: (route, reply) => void table.set(route, reply) };
}
