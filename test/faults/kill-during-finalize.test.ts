import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../src/domain/actor.js';
import { issueApiToken } from '../../src/app/api-tokens.js';
import { newPortalId, TEST_SECRET, testApp } from '../helpers/app.js';
import { onServer, openTestDb } from '../helpers/db.js';
import { draftBody } from '../helpers/factories.js';
import { freePort, startService, type ServiceProcess } from '../helpers/service-process.js';

/**
 * kill -9 of the service while 16 clients finalize invoices of one portal: after a restart every
 * invoice is either finalized with a unique number or still a draft, every finalization a client
 * saw acknowledged survived, and the numbers have no gaps. Then SIGTERM: the service drains and
 * exits 0 within its bound. Runs against the PostgreSQL server only: it needs a database that
 * two processes share.
 */
const DRAFTS = 160;
const CLIENTS = 16;

let db: Knex;
let service: ServiceProcess | null = null;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => {
  service?.child.kill('SIGKILL');
  await db.destroy();
});

describe.runIf(onServer)('kill -9 during finalization', () => {
  it('leaves every invoice finalized with a unique, gapless number or still a draft', { timeout: 180_000 }, async () => {
    const portalId = newPortalId();
    const api = testApp(db).as(portalId);
    const ids: string[] = [];
    for (let i = 0; i < DRAFTS; i += 1) {
      const res = await api.post('/api/v1/invoices', draftBody());
      expect(res.status).toBe(201);
      ids.push(res.body.id as string);
    }
    const port = await freePort();
    service = await startService(process.env.TEST_DATABASE_URL!, port);
    const token = issueApiToken(TEST_SECRET, { portalId, userId: '1', scopes: SCOPES });
    const acknowledged = new Map<string, string>();
    let _failures = 0;
    const finalize = (id: string) =>
      fetch(`${service!.url}/api/v1/invoices/${id}/finalize`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }).then(
        async (res) => {
          if (res.ok) acknowledged.set(id, ((await res.json()) as { number: string }).number);
          else _failures += 1;
        },
        () => {
          _failures += 1; // the connection died with the process
        },
      );
    const queue = [...ids];
    const clients = Array.from({ length: CLIENTS }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) await finalize(id);
    });
    // Kill once a good share is done, mid-stream.
    while (acknowledged.size < DRAFTS / 4) await new Promise((r) => setTimeout(r, 5));
    service.child.kill('SIGKILL');
    expect(await service.exited).toBe('SIGKILL');
    await Promise.all(clients);
    expect(acknowledged.size).toBeLessThan(DRAFTS);

    const rows = async () => db('invoices').where({ portal_id: portalId }).select('id', 'status', 'number', 'number_seq').orderBy('number_seq');
    const check = async () => {
      const all = await rows();
      expect(all).toHaveLength(DRAFTS);
      const finalized = all.filter((r) => r.status !== 'draft');
      for (const r of all) expect(r.status === 'draft' ? r.number === null : r.status === 'open' && r.number !== null).toBe(true);
      const seqs = finalized.map((r) => Number(r.number_seq));
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => 1001 + i));
      const byId = new Map(all.map((r) => [r.id as string, r.number as string | null]));
      for (const [id, number] of acknowledged) expect(byId.get(id)).toBe(number);
      const settings = await db('portal_settings').where({ portal_id: portalId }).first();
      expect(Number(settings.next_number)).toBe(1001 + seqs.length);
      return all;
    };
    await check();

    // Restart: the rest finalize after the crash without gaps either.
    service = await startService(process.env.TEST_DATABASE_URL!, port);
    for (const r of (await rows()).filter((x) => x.status === 'draft')) await finalize(r.id as string);
    const all = await check();
    expect(all.every((r) => r.status === 'open')).toBe(true);

    // SIGTERM: stops accepting, finishes, closes the database and exits 0 within 10 s.
    const started = Date.now();
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    service = null;
  });
});
