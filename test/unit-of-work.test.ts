import type { Knex } from 'knex';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { SCOPES } from '../src/domain/actor.js';
import { issueApiToken } from '../src/app/api-tokens.js';
import { runCommand } from '../src/app/unit-of-work.js';
import { renderInvoicePdf } from '../src/documents/invoice-pdf.js';
import { newPortalId, TEST_SECRET, testApp } from './helpers/app.js';
import { onServer, openTestDb } from './helpers/db.js';
import { draftBody } from './helpers/factories.js';

let db: Knex;
let t: ReturnType<typeof testApp>;

beforeAll(async () => {
  db = await openTestDb();
  t = testApp(db);
});
afterAll(async () => {
  await db.destroy();
});

/** Resolves with `value` unless `ms` pass first. */
function within<T>(ms: number, work: PromiseLike<T>): Promise<T | 'timed out'> {
  return Promise.race([work, new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms))]);
}

describe('runCommand', () => {
  it('runs after-commit work only after a commit, never after a rollback', async () => {
    const ran: string[] = [];
    await runCommand(
      t.deps,
      {},
      async () => 'read',
      async (uow, prepared) => {
        uow.afterCommit(() => void ran.push(`committed ${prepared}`));
        expect(ran).toEqual([]);
      },
    );
    await expect(
      runCommand(
        t.deps,
        {},
        async () => undefined,
        async (uow) => {
          uow.afterCommit(() => void ran.push('rolled back'));
          throw new Error('fails');
        },
      ),
    ).rejects.toThrow('fails');
    expect(ran).toEqual(['committed read']);
  });

  // PGlite has one connection, so two finalizations can never overlap there.
  it.runIf(onServer)(
    'renders the PDF of a finalize under an Idempotency-Key after commit: a concurrent finalize of the portal is not blocked meanwhile',
    async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let startedRendering!: () => void;
      const rendering = new Promise<void>((resolve) => (startedRendering = resolve));
      let renders = 0;
      const app = createApp({
        ...t.deps,
        // The first rendering waits until the test lets it go; the others render at once.
        renderPdf: async (view, finalizedAt) => {
          if (renders++ === 0) {
            startedRendering();
            await held;
          }
          return renderInvoicePdf(view, finalizedAt);
        },
      });
      const portal = newPortalId();
      const token = issueApiToken(TEST_SECRET, { portalId: portal, userId: '1', scopes: SCOPES });
      const call = (method: 'post', url: string) => supertest(app)[method](url).set('Authorization', `Bearer ${token}`);
      const first = (await call('post', '/api/v1/invoices').send(draftBody())).body.id as string;
      const second = (await call('post', '/api/v1/invoices').send(draftBody())).body.id as string;

      const keyed = call('post', `/api/v1/invoices/${first}/finalize`)
        .set('Idempotency-Key', 'finalize-first')
        .then((r) => r);
      try {
        await rendering;
        // The first finalize has committed its number and is now rendering: the counter row is free.
        const other = await within(
          5000,
          call('post', `/api/v1/invoices/${second}/finalize`).then((r) => r),
        );
        expect(other).not.toBe('timed out');
        expect(other).toMatchObject({ status: 200, body: { number: 'INV-1002' } });
      } finally {
        release();
      }
      const done = await keyed;
      expect(done.status).toBe(200);
      expect(done.body.number).toBe('INV-1001');
      // Both fingerprints were stored after their commits.
      expect(await db('invoice_documents').where({ portal_id: portal }).count({ n: '*' }).first()).toMatchObject({ n: 2 });
      // The key replays the first answer.
      const replay = await call('post', `/api/v1/invoices/${first}/finalize`).set('Idempotency-Key', 'finalize-first');
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(done.body);
    },
  );
});
