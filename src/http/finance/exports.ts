import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../../app/deps.js';
import { AppError } from '../../app/errors.js';
import { DEFAULT_STATUSES, exportInvoices } from '../../app/export-invoices.js';
import { DATE_FORMATS, EXPORT_FORMATS, FORMATS, type ExportFormat } from '../../domain/exports/formats.js';
import { requirePermission } from '../auth.js';
import { actorOf } from '../context.js';
import { isoDate } from '../schema-parts.js';

const STATUSES = ['open', 'paid', 'void'] as const;

const exportQuery = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  // One status or a comma-separated list, e.g. `open,paid`.
  status: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(STATUSES)).min(1))
    .optional(),
  // Xero's regional date format; a portal setting replaces this parameter later.
  dateFormat: z.enum(DATE_FORMATS).default('DD/MM/YYYY'),
  // Xero account code of every line; per-product mappings in settings replace this later.
  accountCode: z.string().trim().min(1).max(10).regex(/^[A-Za-z0-9.-]+$/).default('200'),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be after to', path: ['from'] });

/** /api/v1/exports/{format}: a streamed accounting file. */
export function exportsRouter(deps: Deps): Router {
  const r = Router();
  r.get('/:format', requirePermission('export'), async (req, res) => {
    const format = String(req.params.format);
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new AppError('not_found', `No export format "${format}"; available: ${EXPORT_FORMATS.join(', ')}`);
    }
    const f = format as ExportFormat;
    const q = exportQuery.parse(req.query);
    const chunks = exportInvoices(deps, actorOf(res), f, { from: q.from, to: q.to, statuses: q.status ?? DEFAULT_STATUSES[f] }, q);
    // The header and the first page are produced before the response starts, so a problem there
    // (an unreconciled invoice among the first page) is still an ordinary JSON error response.
    const header = await chunks.next();
    const first = await chunks.next();
    res.status(200);
    // attachment() sets a type from the extension (.iif has a registered one): ours comes after.
    res.attachment(`invoices-${f}${q.from ? `-${q.from}` : ''}${q.to ? `-${q.to}` : ''}.${FORMATS[f].extension}`);
    res.type(FORMATS[f].contentType);
    async function* rest() {
      if (!header.done) yield header.value;
      if (!first.done) {
        yield first.value;
        yield* chunks;
      }
    }
    try {
      // pipeline respects back-pressure: the next page is read only when the client took the last.
      await pipeline(Readable.from(rest()), res);
    } catch (err) {
      // Too late for a status: the client gets a truncated (aborted) response; the log says why.
      req.log?.error({ err, format: f }, 'export stopped mid-stream');
      res.destroy(err as Error);
    }
  });
  return r;
}
