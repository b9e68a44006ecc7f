import { describe, expect, it } from 'vitest';
import { startExport } from '../src/app/export-invoices.js';
import { newPortalId } from './helpers/app.js';
import { fixtureSet, parseCsv, parseCsvObjects } from './helpers/csv.js';
import { onServer } from './helpers/db.js';
import { fetchFile, fetchPublic, iifTransactions } from './helpers/export-files.js';
import { useTestApp } from './helpers/use-test-app.js';
import { invoiceIn } from './helpers/invoices.js';
import { seedInvoices } from './helpers/seed-invoices.js';

const t = useTestApp({ clock: '2026-11-28T12:00:00Z' });
const { db, clock } = t;

const count = async (table: string, portalId: number, where: Record<string, unknown> = {}) =>
  Number(
    (
      (await db(table)
        .where({ portal_id: portalId, ...where })
        .count({ n: '*' })
        .first()) as { n: string | number }
    ).n,
  );

describe('export batches', () => {
  it('records every export as a batch: metadata, items with versions, and the same bytes again', async () => {
    const set = await fixtureSet(t);
    const file = await fetchFile(set.api, '/api/v1/exports/qbd-iif?from=2026-11-01&status=open,paid,void');
    expect(file.status).toBe(200);
    expect(file.batchId).toMatch(/^[0-9a-f-]{36}$/);
    const meta = await set.api.get(`/api/v1/exports/batches/${file.batchId}`);
    expect(meta.status).toBe(200);
    expect(meta.body).toEqual({
      id: file.batchId,
      format: 'qbd-iif',
      filters: { from: '2026-11-01', status: ['open', 'paid', 'void'] },
      invoiceCount: 4,
      checksum: file.sha,
      createdBy: '1',
      createdAt: '2026-11-28T12:00:00.000Z',
      incremental: false,
      actorKind: 'api_token',
      voidCount: 1,
      paymentCount: 2,
      byteLength: file.bytes.length,
      contentType: 'text/plain; charset=utf-8',
      filename: 'invoices-qbd-iif-2026-11-01.iif',
      warnings: [],
    });
    const items = await db('export_items').where({ portal_id: set.portal, batch_id: file.batchId }).orderBy('invoice_id');
    expect(items.map((i) => [i.invoice_id, i.invoice_version, i.state]).sort()).toEqual(
      [
        [set.ids[0], expect.any(Number), 'invoice'],
        [set.ids[1], expect.any(Number), 'invoice'],
        [set.ids[2], expect.any(Number), 'invoice'],
        [set.ids[3], expect.any(Number), 'void'],
      ].sort(),
    );
    // The items are the per-invoice record; the invoices' audit logs do not grow with exports (issue 13, finding 4).
    expect(await db('invoice_events').where({ portal_id: set.portal, type: 'exported' })).toEqual([]);
    const again = await fetchFile(set.api, `/api/v1/exports/batches/${file.batchId}/file`);
    expect(again.status).toBe(200);
    expect(again.sha).toBe(file.sha);
    expect(again.bytes.equals(file.bytes)).toBe(true);
    expect([again.type, again.disposition]).toEqual([file.type, file.disposition]);
    const list = await set.api.get('/api/v1/exports/batches');
    expect(list.body).toEqual({
      data: [
        {
          id: file.batchId,
          format: 'qbd-iif',
          filters: meta.body.filters,
          invoiceCount: 4,
          checksum: file.sha,
          createdBy: '1',
          createdAt: meta.body.createdAt,
          incremental: false,
        },
      ],
      nextCursor: null,
    });
  });

  it('pages the batch list with a cursor and refuses a forged one', async () => {
    const set = await fixtureSet(t);
    const ids = [];
    for (const f of ['csv', 'json', 'xero-csv']) ids.push((await fetchFile(set.api, `/api/v1/exports/${f}`)).batchId);
    const first = await set.api.get('/api/v1/exports/batches?limit=2');
    expect(first.body.data).toHaveLength(2);
    const second = await set.api.get(`/api/v1/exports/batches?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ nextCursor: null });
    expect([...first.body.data, ...second.body.data].map((b: { id: string }) => b.id).sort()).toEqual(ids.sort());
    const bad = await set.api.get('/api/v1/exports/batches?cursor=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('cursor');
  });

  it("answers 404 for another portal's batch, and 403 without the exports scope", async () => {
    const set = await fixtureSet(t);
    const { batchId } = await fetchFile(set.api, '/api/v1/exports/csv');
    const other = t.as(newPortalId());
    expect((await other.get(`/api/v1/exports/batches/${batchId}`)).status).toBe(404);
    expect((await other.get(`/api/v1/exports/batches/${batchId}/file`)).status).toBe(404);
    expect((await other.get('/api/v1/exports/batches')).body.data).toEqual([]);
    expect((await set.api.get('/api/v1/exports/batches/not-a-uuid')).status).toBe(404);
    expect((await t.as(set.portal, ['invoices:read']).get(`/api/v1/exports/batches/${batchId}`)).status).toBe(403);
  });
});

describe('incremental exports', () => {
  it('a second incremental export of a target is header only; other targets still get everything', async () => {
    const set = await fixtureSet(t);
    const first = await fetchFile(set.api, '/api/v1/exports/xero-csv?incremental=true');
    expect([...new Set(parseCsvObjects(first.text).map((r) => r['*InvoiceNumber']))]).toEqual(['INV-1001', 'INV-1002', 'INV-1003']);
    const second = await fetchFile(set.api, '/api/v1/exports/xero-csv?incremental=true');
    expect(second.status).toBe(200);
    expect(parseCsv(second.text)).toHaveLength(1);
    expect((await set.api.get(`/api/v1/exports/batches/${second.batchId}`)).body).toMatchObject({ incremental: true, invoiceCount: 0 });
    // Each invoice went to xero-csv exactly once.
    const items = await db('export_items').where({ portal_id: set.portal, format: 'xero-csv' });
    expect(items).toHaveLength(3);
    expect(new Set(items.map((i) => i.invoice_id)).size).toBe(3);
    const qbo = await fetchFile(set.api, '/api/v1/exports/qbo-csv?incremental=true');
    expect(parseCsvObjects(qbo.text).length).toBeGreaterThan(0);
  });

  it('an invoice voided after an export comes as a void: a reversing credit memo in qbd-iif, the void record in csv, a warning in xero-csv', async () => {
    const set = await fixtureSet(t);
    const fin = await invoiceIn(set.api, 'open', {
      invoiceDate: '2026-11-05',
      lineItems: [{ name: 'Work', sku: 'W-1', quantity: '2', unitPrice: 5000, taxRate: '10' }],
      billTo: { name: 'Late Voider', email: 'late@example.com' },
    });
    const number = fin.number;
    for (const f of ['qbd-iif', 'csv', 'xero-csv']) expect((await fetchFile(set.api, `/api/v1/exports/${f}?incremental=true`)).status).toBe(200);
    expect((await set.api.post(`/api/v1/invoices/${fin.id}/void`, { reason: 'Wrong customer' })).status).toBe(200);

    const iif = await fetchFile(set.api, '/api/v1/exports/qbd-iif?incremental=true');
    const txs = iifTransactions(iif.text);
    expect(txs).toHaveLength(1);
    expect(txs[0]![0]).toMatchObject({
      TRNSTYPE: 'CREDIT MEMO',
      DOCNUM: `${number}-VOID`,
      ACCNT: 'Accounts Receivable',
      AMOUNT: '-110.00',
      MEMO: `VOID ${number}: Wrong customer`,
    });
    expect(txs[0]!.slice(1).map((r) => [r.ACCNT, r.AMOUNT, r.QNTY])).toEqual([
      ['Sales', '100.00', '2'],
      ['Sales Tax Payable', '10.00', ''],
    ]);
    expect((await set.api.get(`/api/v1/exports/batches/${iif.batchId}`)).body).toMatchObject({ invoiceCount: 1, voidCount: 1 });

    const csv = parseCsvObjects((await fetchFile(set.api, '/api/v1/exports/csv?incremental=true')).text);
    expect(csv).toEqual([
      expect.objectContaining({ record_type: 'invoice', invoice_number: number, status: 'void', void_reason: 'Wrong customer', balance_due: '0.00' }),
    ]);

    const xero = await fetchFile(set.api, '/api/v1/exports/xero-csv?incremental=true');
    expect(parseCsv(xero.text)).toHaveLength(1);
    const meta = (await set.api.get(`/api/v1/exports/batches/${xero.batchId}`)).body;
    expect(meta.warnings).toEqual([{ code: 'voided_after_export', message: expect.stringContaining('cannot void'), invoices: [number] }]);
    // Warned once: the next xero batch is quiet.
    const next = await fetchFile(set.api, '/api/v1/exports/xero-csv?incremental=true');
    expect((await set.api.get(`/api/v1/exports/batches/${next.batchId}`)).body.warnings).toEqual([]);
    expect(iifTransactions((await fetchFile(set.api, '/api/v1/exports/qbd-iif?incremental=true')).text)).toEqual([]);
  });

  it('a payment recorded after an export comes in the next qbd-iif and csv batch, once', async () => {
    const set = await fixtureSet(t);
    for (const f of ['qbd-iif', 'csv', 'json']) await fetchFile(set.api, `/api/v1/exports/${f}?incremental=true`);
    const pay = await set.api.post(`/api/v1/invoices/${set.ids[0]}/payments`, { amount: 1234, method: 'check', reference: 'CHK-9', receivedOn: '2026-11-27' });
    expect(pay.status).toBe(201);
    const iif = await fetchFile(set.api, '/api/v1/exports/qbd-iif?incremental=true');
    const txs = iifTransactions(iif.text);
    expect(txs.map((tx) => tx.map((r) => [r.TRNSTYPE, r.ACCNT, r.AMOUNT, r.DOCNUM]))).toEqual([
      [
        ['PAYMENT', 'Undeposited Funds', '12.34', 'CHK-9'],
        ['PAYMENT', 'Accounts Receivable', '-12.34', 'CHK-9'],
      ],
    ]);
    expect((await set.api.get(`/api/v1/exports/batches/${iif.batchId}`)).body).toMatchObject({ invoiceCount: 1, paymentCount: 1 });
    const csv = parseCsvObjects((await fetchFile(set.api, '/api/v1/exports/csv?incremental=true')).text);
    expect(csv.map((r) => [r.record_type, r.invoice_number, r.amount || r.amount_paid])).toEqual([
      ['invoice', 'INV-1001', '62.34'],
      ['payment', 'INV-1001', '12.34'],
    ]);
    const json = JSON.parse((await fetchFile(set.api, '/api/v1/exports/json?incremental=true')).text) as Array<{
      number: string;
      amountPaid: number;
      payments: unknown[];
    }>;
    expect(json.map((i) => [i.number, i.amountPaid, i.payments.length])).toEqual([['INV-1001', 6234, 2]]);
    expect(iifTransactions((await fetchFile(set.api, '/api/v1/exports/qbd-iif?incremental=true')).text)).toEqual([]);
  });

  it.runIf(onServer)('two incremental exports of one target at once never both take an invoice', async () => {
    const set = await fixtureSet(t);
    const [a, b] = await Promise.all([fetchFile(set.api, '/api/v1/exports/csv?incremental=true'), fetchFile(set.api, '/api/v1/exports/csv?incremental=true')]);
    const ids = (f: typeof a) =>
      parseCsvObjects(f.text)
        .filter((r) => r.record_type === 'invoice')
        .map((r) => r.invoice_id);
    expect([...ids(a), ...ids(b)].sort()).toEqual([...set.ids].sort());
    expect(Math.min(ids(a).length, ids(b).length)).toBe(0);
  });
});

describe('failed exports leave no batch', () => {
  /** Breaks one finalized invoice's stored tax (bypassing the guard triggers in this session only). */
  async function corrupt(portalId: number, invoiceId: string) {
    await db.transaction(async (trx) => {
      await trx.raw('SET LOCAL session_replication_role = replica');
      await trx.raw('UPDATE invoice_line_items SET tax_amount = tax_amount + 1 WHERE portal_id = ? AND invoice_id = ? AND position = 0', [portalId, invoiceId]);
    });
  }

  it('an unreconciled invoice in the first page: a JSON error, no batch, no items', async () => {
    const set = await fixtureSet(t);
    await corrupt(set.portal, set.ids[1]!);
    const events = await count('invoice_events', set.portal, { type: 'exported' });
    const res = await set.api.get('/api/v1/exports/qbd-iif');
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'export_not_reconciled', message: expect.stringContaining('INV-1002') });
    expect(await count('export_batches', set.portal)).toBe(0);
    expect(await count('export_items', set.portal)).toBe(0);
    expect(await count('export_batch_chunks', set.portal)).toBe(0);
    expect(await count('invoice_events', set.portal, { type: 'exported' })).toBe(events);
  });

  it('an unreconciled invoice after the first page: the response is cut (no end), nothing is recorded', async () => {
    const portalId = newPortalId();
    await seedInvoices(db, portalId, 230);
    const bad = (await db('invoices').where({ portal_id: portalId, number: 'INV-1220' }).first('id')).id as string;
    await corrupt(portalId, bad);
    const api = t.as(portalId);
    const outcome = await fetchFile(api, '/api/v1/exports/csv').then(
      (f) => f,
      (err: Error) => err,
    );
    if (!(outcome instanceof Error)) {
      // The client saw a 200 whose body stops short of the last invoices.
      expect(outcome.status).toBe(200);
      expect(outcome.text).not.toContain('INV-1229');
    }
    expect(await count('export_batches', portalId)).toBe(0);
    expect(await count('export_items', portalId)).toBe(0);
    expect(await count('invoice_events', portalId, { type: 'exported' })).toBe(0);
  });

  it('a consumer that stops reading (client gone) rolls the batch back', async () => {
    const set = await fixtureSet(t);
    const started = await startExport(
      { db, clock: clock.now },
      { portalId: set.portal, userId: '1', kind: 'api_token', scopes: ['exports'] },
      { format: 'csv', filter: { statuses: ['open', 'paid', 'void'] }, incremental: true },
    );
    expect((await started.chunks.next()).done).toBe(false);
    await started.chunks.return(undefined);
    expect(await count('export_batches', set.portal)).toBe(0);
    // Nothing was taken: the next incremental export gets all four.
    const file = await fetchFile(set.api, '/api/v1/exports/csv?incremental=true');
    expect(parseCsvObjects(file.text).filter((r) => r.record_type === 'invoice')).toHaveLength(4);
  });
});

describe('download links', () => {
  it('a signed 5-minute link streams the export without headers, records its batch, and refuses expired or tampered tokens', async () => {
    const set = await fixtureSet(t);
    const res = await set.api.post('/api/v1/exports/links', { format: 'xero-csv', from: '2026-11-02', status: ['open', 'paid'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      url: expect.stringMatching(/^https:\/\/invoices\.test\/exports\/download\/[\w-]+\.[\w-]+\.[\w-]+$/),
      expiresAt: '2026-11-28T12:05:00.000Z',
    });
    const path = new URL(res.body.url).pathname;
    const viaLink = await fetchPublic(t.app, path);
    expect(viaLink.status).toBe(200);
    const direct = await fetchFile(set.api, '/api/v1/exports/xero-csv?from=2026-11-02&status=open,paid');
    expect(viaLink.bytes.equals(direct.bytes)).toBe(true);
    expect([viaLink.type, viaLink.disposition]).toEqual([direct.type, direct.disposition]);
    expect((await set.api.get(`/api/v1/exports/batches/${viaLink.batchId}`)).body).toMatchObject({
      createdBy: '1',
      actorKind: 'api_token',
      filters: { from: '2026-11-02' },
    });

    const token = path.split('/').pop()!;
    const [h, p, s] = token.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), portalId: newPortalId() })).toString('base64url')}.${s}`;
    for (const bad of [`/exports/download/${tampered}`, `/exports/download/${token}x`, `/exports/download/${set.api.token}`]) {
      const r = await fetchPublic(t.app, bad);
      expect(r.status, bad).toBe(401);
    }
    // The link is no API token either.
    expect((await t.as(set.portal).get('/api/v1/exports/batches').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    clock.set('2026-11-28T12:05:01Z');
    try {
      expect((await fetchPublic(t.app, path)).status).toBe(401);
    } finally {
      clock.set('2026-11-28T12:00:00Z');
    }
  });

  it('validates the link body naming the field', async () => {
    const api = t.as(newPortalId());
    for (const [body, path] of [
      [{ format: 'pdf' }, 'format'],
      [{ format: 'csv', from: '2026-02-30' }, 'from'],
      [{ format: 'csv', status: ['draft'] }, 'status'],
      [{ format: 'csv', extra: 1 }, 'extra'],
    ] as const) {
      const r = await api.post('/api/v1/exports/links', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
  });
});
