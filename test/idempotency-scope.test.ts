import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimKey, findKey } from '../src/db/idempotency-repo.js';
import { newPortalId, testApp } from './helpers/app.js';
import { openTestDb } from './helpers/db.js';
import { draftBody } from './helpers/factories.js';

// Issue 13, finding 5: an Idempotency-Key is its sender's, scoped to (portal, actor kind, user).

let db: Knex;
let t: ReturnType<typeof testApp>;
beforeAll(async () => {
  db = await openTestDb();
  t = testApp(db);
});
afterAll(() => db.destroy());

describe('Idempotency-Key scope', () => {
  it("does not give another user of the portal the first user's stored response for the same key and body", async () => {
    const portal = newPortalId();
    const [ada, bob] = [t.as(portal, undefined, '1'), t.as(portal, undefined, '2')];
    const first = await ada.post('/api/v1/invoices', draftBody()).set('Idempotency-Key', 'shared-key');
    const other = await bob.post('/api/v1/invoices', draftBody()).set('Idempotency-Key', 'shared-key');
    expect(first.status).toBe(201);
    expect(other.status).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(other.body.id).not.toBe(first.body.id);
    expect((await ada.get('/api/v1/invoices')).body.data).toHaveLength(2);
  });

  it('still replays for the same user', async () => {
    const api = t.as(newPortalId(), undefined, '7');
    const first = await api.post('/api/v1/invoices', draftBody()).set('Idempotency-Key', 'mine');
    const again = await api.post('/api/v1/invoices', draftBody()).set('Idempotency-Key', 'mine');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('keeps a card user and an API token naming the same user id apart, and actors without a user apart from users', async () => {
    const portalId = newPortalId();
    const scope = (actorKind: string, userId: string | null) => ({ portalId, actorKind, userId, key: 'k', hash: 'h' });
    await db.transaction(async (trx) => {
      expect(await claimKey(trx, scope('user', '1'))).toBe(true);
      expect(await claimKey(trx, scope('api_token', '1'))).toBe(true);
      expect(await claimKey(trx, scope('system', null))).toBe(true);
      expect(await claimKey(trx, scope('user', '1'))).toBe(false);
      expect(await claimKey(trx, scope('system', null))).toBe(false);
    });
    expect(await findKey(db, scope('api_token', '1'))).toMatchObject({ requestHash: 'h' });
    expect(await findKey(db, scope('api_token', '2'))).toBeNull();
  });
});
