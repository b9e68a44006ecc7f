import { Router } from 'express';
import { createInvoice } from '../../app/create-invoice.js';
import { deleteInvoice } from '../../app/delete-invoice.js';
import type { Deps } from '../../app/deps.js';
import { finalizeInvoice } from '../../app/finalize-invoice.js';
import { getInvoice } from '../../app/get-invoice.js';
import type { InvoiceToday } from '../../app/invoice-today.js';
import { listInvoiceEvents } from '../../app/list-invoice-events.js';
import { listInvoices } from '../../app/list-invoices.js';
import { recordPayment } from '../../app/record-payment.js';
import { resyncInvoice } from '../../app/resync-invoice.js';
import { updateInvoice } from '../../app/update-invoice.js';
import { voidInvoice } from '../../app/void-invoice.js';
import { requirePermission } from '../auth.js';
import { actorOf, idParam } from '../context.js';
import { presentPermissions } from '../users/presenter.js';
import { respond } from '../idempotent.js';
import { presentEvent, presentInvoice } from './presenter.js';
import { createInvoiceBody, listEventsQuery, listInvoicesQuery, recordPaymentBody, updateInvoiceBody, voidInvoiceBody } from './schema.js';

/** /api/v1/invoices: parse, authorize, call one use case, present. */
export function invoicesRouter(deps: Deps): Router {
  const r = Router();
  const view = requirePermission('view');
  const edit = requirePermission('edit');
  const present = (invoice: InvoiceToday) => presentInvoice(invoice, { today: invoice.today, publicBaseUrl: deps.config.publicBaseUrl });
  const ok = (invoice: InvoiceToday) => ({ status: 200, body: present(invoice) });
  const created = (invoice: InvoiceToday) => ({ status: 201, body: present(invoice) });

  r.get('/', view, async (req, res) => {
    const query = listInvoicesQuery.parse(req.query);
    const page = await listInvoices(deps, actorOf(res), query);
    const ctx = { today: page.today, publicBaseUrl: deps.config.publicBaseUrl };
    res.json({ data: page.invoices.map((i) => presentInvoice(i, ctx)), nextCursor: page.nextCursor, permissions: presentPermissions(actorOf(res)) });
  });

  r.post('/', edit, async (req, res) => {
    const { requestId, ...body } = createInvoiceBody.parse(req.body);
    await respond(req, res, (run) => createInvoice(deps, actorOf(res), body, run), created, created, requestId);
  });

  r.get('/:id', view, async (req, res) => {
    res.json(present(await getInvoice(deps, actorOf(res), idParam(req))));
  });

  r.patch('/:id', edit, async (req, res) => {
    const { version, ...fields } = updateInvoiceBody.parse(req.body);
    const id = idParam(req);
    await respond(req, res, (run) => updateInvoice(deps, actorOf(res), id, version, fields, run), ok);
  });

  r.delete('/:id', edit, async (req, res) => {
    const id = idParam(req);
    await respond(
      req,
      res,
      (run) => deleteInvoice(deps, actorOf(res), id, run),
      () => ({ status: 204, body: null }),
    );
  });

  r.post('/:id/resync', edit, async (req, res) => {
    const id = idParam(req);
    await respond(req, res, (run) => resyncInvoice(deps, actorOf(res), id, run), ok);
  });

  r.post('/:id/finalize', requirePermission('finalize'), async (req, res) => {
    const id = idParam(req);
    await respond(req, res, (run) => finalizeInvoice(deps, actorOf(res), id, run), ok);
  });

  r.post('/:id/void', requirePermission('void'), async (req, res) => {
    const id = idParam(req);
    const { reason } = voidInvoiceBody.parse(req.body ?? {});
    await respond(req, res, (run) => voidInvoice(deps, actorOf(res), id, reason, run), ok);
  });

  r.post('/:id/payments', requirePermission('record_payment'), async (req, res) => {
    const id = idParam(req);
    const body = recordPaymentBody.parse(req.body);
    await respond(req, res, (run) => recordPayment(deps, actorOf(res), id, body, run), created);
  });

  r.get('/:id/events', view, async (req, res) => {
    const id = idParam(req);
    const q = listEventsQuery.parse(req.query);
    const page = await listInvoiceEvents(deps, actorOf(res), id, q);
    res.json({ data: page.data.map(presentEvent), nextCursor: page.nextCursor });
  });

  return r;
}
