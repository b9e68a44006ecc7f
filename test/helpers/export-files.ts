import { createHash } from 'node:crypto';
import supertest from 'supertest';
import type { Express } from 'express';
import type { Api } from './app.js';

/** A downloaded file: status, bytes, sha256 and the headers exports set. */
export interface FetchedFile {
  status: number;
  bytes: Buffer;
  text: string;
  sha: string;
  type: string;
  disposition: string;
  batchId: string | undefined;
  body: unknown;
}

const collect = (r: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  r.on('data', (c: Buffer) => chunks.push(c));
  r.on('end', () => cb(null, Buffer.concat(chunks)));
};

function toFile(res: supertest.Response): FetchedFile {
  const bytes = res.body as Buffer;
  const text = bytes.toString('utf8');
  let body: unknown = null;
  if (String(res.headers['content-type']).startsWith('application/json') && res.status !== 200) body = JSON.parse(text);
  return {
    status: res.status,
    bytes,
    text,
    sha: createHash('sha256').update(bytes).digest('hex'),
    type: String(res.headers['content-type']),
    disposition: String(res.headers['content-disposition']),
    batchId: res.headers['x-export-batch-id'] as string | undefined,
    body,
  };
}

/** GET an export (or a batch file) as raw bytes through an authenticated client. */
export async function fetchFile(api: Api, path: string): Promise<FetchedFile> {
  return toFile(
    await api
      .get(path)
      .buffer(true)
      .parse(collect as never),
  );
}

/** GET a public URL path (download links) as raw bytes. */
export async function fetchPublic(app: Express, path: string): Promise<FetchedFile> {
  return toFile(
    await supertest(app)
      .get(path)
      .buffer(true)
      .parse(collect as never),
  );
}

/** IIF text as transactions: arrays of {kind, ...fields} records between TRNS and ENDTRNS. */
export function iifTransactions(text: string): Array<Array<Record<string, string>>> {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((l) => l !== '');
  const headers: Record<string, string[]> = {};
  const out: Array<Array<Record<string, string>>> = [];
  let open: Array<Record<string, string>> | null = null;
  for (const line of lines) {
    const [kind, ...fields] = line.split('\t');
    if (kind!.startsWith('!')) headers[kind!.slice(1)] = fields;
    else if (kind === 'ENDTRNS') {
      out.push(open!);
      open = null;
    } else {
      const rec = Object.fromEntries((headers[kind!] ?? []).map((h, k) => [h, fields[k] ?? '']));
      if (kind === 'TRNS') open = [rec];
      else open!.push(rec);
    }
  }
  return out;
}
