import { batchChunks, findBatch, listBatches as queryBatches } from '../db/export-batches-repo.js';
import { type ExportBatch } from '../domain/exports/batch.js';
import { invalidField } from '../domain/errors.js';
import { isTimestampText } from '../domain/dates.js';
import type { Actor } from '../domain/actor.js';
import type { Deps } from './deps.js';
import { notFound } from './errors.js';

/** A recorded batch of the portal; 404 for none or another portal's. */
export async function getBatch(deps: Pick<Deps, 'db'>, actor: Actor, id: string): Promise<ExportBatch> {
  const batch = await findBatch(deps.db, actor.portalId, id);
  if (!batch) throw notFound('Export batch');
  return batch;
}

/** A recorded batch and its file, chunk by chunk: the bytes sent when it was made. */
export async function openBatchFile(deps: Pick<Deps, 'db'>, actor: Actor, id: string): Promise<{ batch: ExportBatch; chunks: AsyncGenerator<Buffer> }> {
  const batch = await getBatch(deps, actor, id);
  return { batch, chunks: batchChunks(deps.db, actor.portalId, id) };
}

/** A page of the portal's batches, newest first; the cursor is opaque to clients. */
export async function listBatches(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  limit: number,
  cursor?: string,
): Promise<{ data: ExportBatch[]; nextCursor: string | null }> {
  const after = cursor ? decodeCursor(cursor) : null;
  const rows = await queryBatches(deps.db, actor.portalId, limit + 1, after);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString('base64url') : null;
  return { data: page, nextCursor };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      isTimestampText(parsed[0]) &&
      typeof parsed[1] === 'string' &&
      UUID.test(parsed[1])
    ) {
      return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw invalidField('cursor', 'is not a cursor returned by this list');
}
