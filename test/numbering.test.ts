import { describe, expect, it } from 'vitest';
import { newPortalId, type Api } from './helpers/app.js';
import { draftBody } from './helpers/factories.js';
import { useTestApp } from './helpers/use-test-app.js';

const t = useTestApp();
const { db } = t;

async function drafts(api: Api, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await api.post('/api/v1/invoices', draftBody())).body.id);
  return ids;
}

describe('gapless numbering', () => {
  it('gives 50 concurrent finalizations in one portal exactly INV-1001..INV-1050', async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    const ids = await drafts(api, 50);
    const results = await Promise.all(ids.map((id) => api.post(`/api/v1/invoices/${id}/finalize`)));
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
    const numbers = results.map((r) => r.body.number as string).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => `INV-${1001 + i}`));
    expect((await api.get('/api/v1/settings')).body.nextNumber).toBe(1051);
  });

  it('finalizing the same draft twice at once numbers it once', async () => {
    const api = t.as(newPortalId());
    const [id] = await drafts(api, 1);
    const results = await Promise.all([1, 2, 3].map(() => api.post(`/api/v1/invoices/${id}/finalize`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect((await api.get('/api/v1/settings')).body.nextNumber).toBe(1002);
  });

  it('returns the number when a finalize fails half way (rollback), so no gap appears', async () => {
    const portal = newPortalId();
    const api = t.as(portal);
    const [first, second] = await drafts(api, 2);
    // Make the last step of finalize (the audit insert, after the number was taken) fail for this portal only.
    await db.raw(`CREATE FUNCTION fail_${portal}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await db.raw(
      `CREATE TRIGGER fail_${portal} BEFORE INSERT ON invoice_events FOR EACH ROW
       WHEN (NEW.portal_id = ${portal} AND NEW.type = 'invoice.finalized') EXECUTE FUNCTION fail_${portal}()`,
    );
    try {
      const failed = await api.post(`/api/v1/invoices/${first}/finalize`);
      expect(failed.status).toBe(500);
      expect(failed.body.error.code).toBe('internal_error');
    } finally {
      await db.raw(`DROP TRIGGER fail_${portal} ON invoice_events`);
      await db.raw(`DROP FUNCTION fail_${portal}()`);
    }
    expect((await api.get(`/api/v1/invoices/${first}`)).body).toMatchObject({ status: 'draft', number: null });
    expect((await api.get('/api/v1/settings')).body.nextNumber).toBe(1001);
    expect((await api.post(`/api/v1/invoices/${second}/finalize`)).body.number).toBe('INV-1001');
    expect((await api.post(`/api/v1/invoices/${first}/finalize`)).body.number).toBe('INV-1002');
  });

  it('keeps numbering per portal', async () => {
    const a = t.as(newPortalId());
    const b = t.as(newPortalId());
    const [ia] = await drafts(a, 1);
    const [ib] = await drafts(b, 1);
    expect((await a.post(`/api/v1/invoices/${ia}/finalize`)).body.number).toBe('INV-1001');
    expect((await b.post(`/api/v1/invoices/${ib}/finalize`)).body.number).toBe('INV-1001');
  });
});
