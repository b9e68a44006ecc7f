import { Router, type Response } from 'express';
import type { Knex } from 'knex';
import { createInvoice } from '../../app/create-invoice.js';
import { draftFromRecord } from '../../app/create-invoice-from-record.js';
import { deleteInvoice } from '../../app/delete-invoice.js';
import type { Deps } from '../../app/deps.js';
import { finalizeInvoice } from '../../app/finalize-invoice.js';
import { getInvoice } from '../../app/get-invoice.js';
import { listInvoiceEvents } from '../../app/list-invoice-events.js';
import { listInvoices } from '../../app/list-invoices.js';
import { portalToday } from '../../app/portal-today.js';
import { recordPayment } from '../../app/record-payment.js';
import { resyncChanges } from '../../app/resync-invoice.js';
import { updateInvoice } from '../../app/update-invoice.js';
import { voidInvoice } from '../../app/void-invoice.js';
import type { Invoice } from '../../domain/invoice.js';
import { requirePermission } from '../auth.js';
import { actorOf, idParam } from '../context.js';
import { presentPermissions } from '../users/presenter.js';
import { respond } from '../idempotent.js';
import { presentEvent, presentInvoice } from './presenter.js';
import { createInvoiceBody, listInvoicesQuery, recordPaymentBody, updateInvoiceBody, voidInvoiceBody } from './schema.js';

/** /api/v1/invoices: parse, authorize, call one use case, present. */
export function invoicesRouter(deps: Deps): Router {
  const r = Router();
  const view = requirePermission('view');
  const edit = requirePermission('edit');
  // Inside an idempotent request `db` is its transaction: PGlite has a single connection, and
  // reading outside the transaction would wait for it forever.
  const present = async (res: Response, invoice: Invoice, db: Knex) =>
    presentInvoice(invoice, { today: await portalToday({ db, clock: deps.clock }, actorOf(res)), publicBaseUrl: deps.config.publicBaseUrl });

  r.get('/', view, async (req, res) => {
    const query = listInvoicesQuery.parse(req.query);
    const page = await listInvoices(deps, actorOf(res), query);
    const ctx = { today: page.today, publicBaseUrl: deps.config.publicBaseUrl };
    res.json({ data: page.invoices.map((i) => presentInvoice(i, ctx)), nextCursor: page.nextCursor, permissions: presentPermissions(actorOf(res)) });
  });

  r.post('/', edit, async (req, res) => {
    const { source, ...fields } = createInvoiceBody.parse(req.body);
    // A source without line items means "copy from the CRM record"; with them, a full draft that
    // remembers its source. HubSpot is read before the transaction opens, never inside it.
    const draft = source && !fields.lineItems ? await draftFromRecord(deps, actorOf(res), source, fields) : { ...fields, source };
    await respond(req, res, deps, async (db) => ({ status: 201, body: await present(res, await createInvoice({ ...deps, db }, actorOf(res), draft), db) }));
  });

  r.get('/:id', view, async (req, res) => {
    res.json(await present(res, await getInvoice(deps, actorOf(res), idParam(req)), deps.db));
  });

  r.patch('/:id', edit, async (req, res) => {
    const { version, ...fields } = updateInvoiceBody.parse(req.body);
    const id = idParam(req);
    await respond(req, res, deps, async (db) => ({ status: 200, body: await present(res, await updateInvoice({ ...deps, db }, actorOf(res), id, version, fields), db) }));
  });

  r.delete('/:id', edit, async (req, res) => {
    const id = idParam(req);
    await respond(req, res, deps, async (db) => {
      await deleteInvoice({ ...deps, db }, actorOf(res), id);
      return { status: 204, body: null };
    });
  });

  r.post('/:id/resync', edit, async (req, res) => {
    const id = idParam(req);
    const { version, changes, sourceReadAt } = await resyncChanges(deps, actorOf(res), id);
    await respond(req, res, deps, async (db) => ({
      status: 200,
      body: await present(res, await updateInvoice({ ...deps, db }, actorOf(res), id, version, changes, { sourceReadAt }), db),
    }));
  });

  r.post('/:id/finalize', requirePermission('finalize'), async (req, res) => {
    const id = idParam(req);
    await respond(req, res, deps, async (db) => ({ status: 200, body: await present(res, await finalizeInvoice({ ...deps, db }, actorOf(res), id), db) }));
  });

  r.post('/:id/void', requirePermission('void'), async (req, res) => {
    const id = idParam(req);
    const { reason } = voidInvoiceBody.parse(req.body ?? {});
    await respond(req, res, deps, async (db) => ({ status: 200, body: await present(res, await voidInvoice({ ...deps, db }, actorOf(res), id, reason), db) }));
  });

  r.post('/:id/payments', requirePermission('record_payment'), async (req, res) => {
    const id = idParam(req);
    const body = recordPaymentBody.parse(req.body);
    await respond(req, res, deps, async (db) => ({ status: 201, body: await present(res, await recordPayment({ ...deps, db }, actorOf(res), id, body), db) }));
  });

  r.get('/:id/events', view, async (req, res) => {
    const events = await listInvoiceEvents(deps, actorOf(res), idParam(req));
    res.json({ data: events.map(presentEvent), nextCursor: null });
  });

  return r;
}
