import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { StartedExport } from '../../app/export-invoices.js';

/**
 * Streams an export file with back-pressure. The header and the first page are produced before
 * the response starts, so a problem there (an unreconciled invoice among the first page) is still
 * an ordinary JSON error response. A later failure can only cut the response: the chunked body
 * then never ends properly, which clients report as an incomplete transfer, and the export's
 * transaction is rolled back (no batch). If the client goes away, the stream is destroyed, which
 * stops the generator and rolls its transaction back as well.
 */
export async function sendExport(req: Request, res: Response, started: StartedExport): Promise<void> {
  let first: IteratorResult<Buffer>;
  try {
    first = await started.chunks.next();
  } catch (err) {
    await started.chunks.return(undefined).catch(() => undefined);
    throw err;
  }
  res.status(200);
  res.set('X-Export-Batch-Id', started.batchId);
  await stream(req, res, started.contentType, started.filename, first, started.chunks);
}

/** Streams a stored batch file with the same type and disposition as when it was made. */
export async function sendStored(
  req: Request,
  res: Response,
  b: { id: string; contentType: string; filename: string },
  chunks: AsyncGenerator<Buffer>,
): Promise<void> {
  const first = await chunks.next();
  res.status(200);
  res.set('X-Export-Batch-Id', b.id);
  await stream(req, res, b.contentType, b.filename, first, chunks);
}

async function stream(
  req: Request,
  res: Response,
  contentType: string,
  filename: string,
  first: IteratorResult<Buffer>,
  rest: AsyncGenerator<Buffer>,
): Promise<void> {
  // attachment() sets a type from the extension (.iif has a registered one): ours comes after.
  res.attachment(filename);
  res.type(contentType);
  async function* all() {
    if (first.done) return;
    yield first.value;
    yield* rest;
  }
  try {
    await pipeline(Readable.from(all()), res);
  } catch (err) {
    // Too late for a status: the client gets a truncated (aborted) response; the log says why.
    req.log?.error({ err }, 'export stopped mid-stream');
    res.destroy(err as Error);
  }
}
