import type { Request, Response } from 'express';
import type { StartedExport } from '../../app/export-invoices.js';

/**
 * Streams an export file with back-pressure. The header and the first page are produced before
 * the response starts, so a problem there (an unreconciled invoice among the first page, the
 * portal's export limit) is still an ordinary JSON error response. A later failure can only cut
 * the response: the chunked body then never ends properly, which clients report as an incomplete
 * transfer, and the export's transaction is rolled back (no batch). If the client goes away, or
 * stops reading for `writeTimeoutMs`, the response is destroyed, which stops the generator and
 * rolls its transaction back as well, releasing its connection, slot and target lock.
 */
export async function sendExport(req: Request, res: Response, started: StartedExport, writeTimeoutMs: number): Promise<void> {
  let first: IteratorResult<Buffer>;
  try {
    first = await started.chunks.next();
  } catch (err) {
    await started.chunks.return(undefined).catch(() => undefined);
    throw err;
  }
  res.status(200);
  res.set('X-Export-Batch-Id', started.batchId);
  await stream(req, res, { contentType: started.contentType, filename: started.filename, writeTimeoutMs }, first, started.chunks);
}

/** Streams a stored batch file with the same type and disposition as when it was made. */
export async function sendStored(
  req: Request,
  res: Response,
  b: { id: string; contentType: string; filename: string },
  chunks: AsyncGenerator<Buffer>,
  writeTimeoutMs: number,
): Promise<void> {
  const first = await chunks.next();
  res.status(200);
  res.set('X-Export-Batch-Id', b.id);
  await stream(req, res, { contentType: b.contentType, filename: b.filename, writeTimeoutMs }, first, chunks);
}

/** The response stopped taking bytes (client gone, or not reading for the write timeout). */
class Stalled extends Error {}

/**
 * Resolves once `res` wants more bytes (`drain`, or `finish` after end); rejects when the client
 * goes away or has not taken a byte for `ms`. Only time spent waiting on the client counts: the
 * database's time between pages does not.
 */
function waitFor(res: Response, event: 'drain' | 'finish', ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.destroyed) {
      reject(new Stalled('the client went away'));
      return;
    }
    const done = (err?: Error) => {
      clearTimeout(timer);
      res.off(event, ok);
      res.off('close', gone);
      if (err) reject(err);
      else resolve();
    };
    const ok = () => done();
    const gone = () => done(new Stalled('the client went away'));
    const timer = setTimeout(() => done(new Stalled(`the client took no bytes for ${ms} ms`)), ms);
    res.once(event, ok);
    res.once('close', gone);
  });
}

async function stream(
  req: Request,
  res: Response,
  file: { contentType: string; filename: string; writeTimeoutMs: number },
  first: IteratorResult<Buffer>,
  rest: AsyncGenerator<Buffer>,
): Promise<void> {
  // attachment() sets a type from the extension (.iif has a registered one): ours comes after.
  res.attachment(file.filename);
  res.type(file.contentType);
  async function* all() {
    if (first.done) return;
    yield first.value;
    yield* rest;
  }
  try {
    // Leaving this loop early (a throw) returns the generator, whose finally rolls back.
    for await (const chunk of all()) {
      if (!res.write(chunk)) await waitFor(res, 'drain', file.writeTimeoutMs);
    }
    const finished = waitFor(res, 'finish', file.writeTimeoutMs);
    res.end();
    await finished;
  } catch (err) {
    // Too late for a status: the client gets a truncated (aborted) response; the log says why.
    if (err instanceof Stalled) req.log?.warn({ reason: err.message }, 'export response cut: the client stopped reading');
    else req.log?.error({ err }, 'export stopped mid-stream');
    res.destroy();
  }
}
