import { Router, type Request } from 'express';
import type { Deps } from '../../app/deps.js';
import { AppError } from '../../app/errors.js';
import { getBatch, listBatches, openBatchFile } from '../../app/export-batches.js';
import { DEFAULT_STATUSES, startExport } from '../../app/export-invoices.js';
import { inspectExportLink, issueExportLink, startLinkedExport } from '../../app/export-links.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../domain/exports/formats.js';
import { requirePermission } from '../auth.js';
import { actorOf } from '../context.js';
import { presentBatch, presentBatchSummary } from './export-presenter.js';
import { batchListQuery, exportLinkBody, exportQuery } from './export-schema.js';
import { sendExport, sendStored } from './send-export.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function batchId(req: Request): string {
  const id = String(req.params.id ?? '');
  if (!UUID.test(id)) throw new AppError('not_found', 'Export batch not found');
  return id.toLowerCase();
}

function formatParam(req: Request): ExportFormat {
  const format = String(req.params.format);
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new AppError('not_found', `No export format "${format}"; available: ${EXPORT_FORMATS.join(', ')}`);
  }
  return format as ExportFormat;
}

/** /api/v1/exports: streamed accounting files, each recorded as a batch; past batches; download links. */
export function exportsRouter(deps: Deps): Router {
  const r = Router();
  const guard = requirePermission('export');
  const writeTimeoutMs = deps.config.exports.writeTimeoutSeconds * 1000;
  r.get('/batches', guard, async (req, res) => {
    const q = batchListQuery.parse(req.query);
    const page = await listBatches(deps, actorOf(res), q.limit, q.cursor);
    res.json({ data: page.data.map(presentBatchSummary), nextCursor: page.nextCursor });
  });
  r.get('/batches/:id', guard, async (req, res) => {
    res.json(presentBatch(await getBatch(deps, actorOf(res), batchId(req))));
  });
  r.get('/batches/:id/file', guard, async (req, res) => {
    const { batch, chunks } = await openBatchFile(deps, actorOf(res), batchId(req));
    await sendStored(req, res, batch, chunks, writeTimeoutMs);
  });
  r.post('/links', guard, async (req, res) => {
    const b = exportLinkBody.parse(req.body ?? {});
    const link = await issueExportLink(deps, actorOf(res), {
      format: b.format,
      filter: { ...(b.from ? { from: b.from } : {}), ...(b.to ? { to: b.to } : {}), statuses: b.status ?? DEFAULT_STATUSES[b.format] },
      incremental: b.incremental ?? false,
    });
    res.json(link);
  });
  r.get('/:format', guard, async (req, res) => {
    const format = formatParam(req);
    const q = exportQuery.parse(req.query);
    const started = await startExport(deps, actorOf(res), {
      format,
      filter: { ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}), statuses: q.status ?? DEFAULT_STATUSES[format] },
      incremental: q.incremental ?? false,
      overrides: { ...(q.dateFormat ? { dateFormat: q.dateFormat } : {}), ...(q.accountCode ? { accountCode: q.accountCode } : {}) },
    });
    await sendExport(req, res, started, writeTimeoutMs);
  });
  return r;
}

/**
 * /exports/download/{token}: public (the signed token is the credential), for browser tabs opened
 * from a HubSpot card. GET streams the export like the authenticated route, records its batch and
 * consumes the link (a second GET is 410). HEAD answers whether the link still works without
 * consuming it, so an unfurler or prefetcher that only asks HEAD leaves it to the user.
 */
export function exportDownloadRouter(deps: Deps): Router {
  const r = Router();
  // Registered before GET: Express would otherwise answer HEAD with the GET handler (and consume the link).
  r.head('/:token', async (req, res) => {
    const { contentType } = await inspectExportLink(deps, String(req.params.token));
    res.status(200).type(contentType).set('Cache-Control', 'no-store').end();
  });
  r.get('/:token', async (req, res) => {
    const started = await startLinkedExport(deps, String(req.params.token));
    res.set('Cache-Control', 'no-store');
    await sendExport(req, res, started, deps.config.exports.writeTimeoutSeconds * 1000);
  });
  return r;
}
