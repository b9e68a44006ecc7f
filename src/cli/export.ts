import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import type { Actor } from '../domain/actor.js';
import { getBatch, openBatchFile } from '../app/export-batches.js';
import { DEFAULT_STATUSES, PAGE_SIZE, startExport } from '../app/export-invoices.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { connect, migrationsCurrent } from '../db/connect.js';
import { countExportInvoices, type ExportFilter } from '../db/export-query.js';
import { isIsoDate } from '../domain/dates.js';
import { DATE_FORMATS, EXPORT_FORMATS, type DateFormat, type ExportFormat } from '../domain/exports/formats.js';

/**
 * `npm run export -- --portal 123 --format xero-csv [--from 2026-01-01] [--to 2026-12-31]
 *   [--status open,paid] [--incremental] [--date-format DD/MM/YYYY] [--account-code 200] [--out FILE]`
 * `npm run export -- --portal 123 --batch <id> [--out FILE]`
 *
 * Writes the same bytes as `GET /api/v1/exports/{format}` (same use case, same settings and
 * defaults) to FILE or stdout, and records the export as a batch (created by `cli`) like the
 * HTTP route; `--batch` writes a past batch's file again, byte for byte. --date-format and
 * --account-code override the portal's accounting mappings for this export only. On a terminal
 * stderr shows progress; a one-line summary always ends on stderr. With --out the file appears
 * only when the export completed (written to FILE.partial first).
 */
const USAGE = `usage: npm run export -- --portal <id> --format <${EXPORT_FORMATS.join('|')}>
         [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--status open,paid,void] [--incremental]
         [--date-format ${DATE_FORMATS.join('|')}] [--account-code CODE] [--out FILE]
       npm run export -- --portal <id> --batch <batch id> [--out FILE]
Reads DATABASE_URL, or the embedded database in DATA_DIR (default .data), which cannot be
opened while \`npm start\` runs on it.`;

const STATUSES = ['open', 'paid', 'void'] as const;

interface Args {
  portalId: number;
  format: ExportFormat;
  filter: ExportFilter;
  incremental: boolean;
  /** Re-fetch this batch instead of exporting. */
  batch: string | null;
  dateFormat?: DateFormat;
  accountCode?: string;
  out: string | null;
}

function usage(message: string): never {
  process.stderr.write(`export: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function readArgs(): Args {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        portal: { type: 'string' },
        format: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        status: { type: 'string' },
        incremental: { type: 'boolean' },
        batch: { type: 'string' },
        'date-format': { type: 'string' },
        'account-code': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const portalId = Number(values.portal);
  if (!values.portal || !/^\d+$/.test(values.portal) || !Number.isSafeInteger(portalId) || portalId <= 0) {
    usage('--portal <HubSpot portal id> is required (a positive integer)');
  }
  if (values.batch !== undefined) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(values.batch)) usage('--batch takes a batch id (a UUID)');
    const other = ['format', 'from', 'to', 'status', 'incremental', 'date-format', 'account-code'].filter(
      (k) => values[k as keyof typeof values] !== undefined,
    );
    if (other.length > 0) usage(`--batch re-fetches a recorded file and takes no ${other.map((k) => `--${k}`).join(', ')}`);
    return { portalId, format: 'csv', filter: { statuses: [] }, incremental: false, batch: values.batch.toLowerCase(), out: values.out ?? null };
  }
  if (!values.format) usage('--format is required');
  if (!(EXPORT_FORMATS as readonly string[]).includes(values.format)) usage(`unknown format "${values.format}"`);
  const format = values.format as ExportFormat;
  for (const name of ['from', 'to'] as const) {
    const v = values[name];
    if (v !== undefined && !isIsoDate(v)) usage(`--${name} must be a date written YYYY-MM-DD, got "${v}"`);
  }
  if (values.from && values.to && values.from > values.to) usage('--from must not be after --to');
  let statuses: ExportFilter['statuses'] = DEFAULT_STATUSES[format];
  if (values.status !== undefined) {
    const list = values.status.split(',').map((s) => s.trim());
    const bad = list.filter((s) => !(STATUSES as readonly string[]).includes(s));
    if (list.length === 0 || bad.length > 0) usage(`--status takes ${STATUSES.join(', ')} (comma-separated), got "${values.status}"`);
    statuses = list as Array<(typeof STATUSES)[number]>;
  }
  const dateFormat = values['date-format'];
  if (dateFormat !== undefined && !(DATE_FORMATS as readonly string[]).includes(dateFormat)) usage(`--date-format must be one of ${DATE_FORMATS.join(', ')}`);
  const accountCode = values['account-code']?.trim();
  if (accountCode !== undefined && !/^[A-Za-z0-9.-]{1,10}$/.test(accountCode)) usage('--account-code must be 1-10 letters, digits, dots or dashes');
  if (values.out === '') usage('--out needs a file name');
  return {
    portalId,
    format,
    filter: { ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}), statuses },
    incremental: values.incremental ?? false,
    batch: null,
    ...(dateFormat ? { dateFormat: dateFormat as DateFormat } : {}),
    ...(accountCode ? { accountCode } : {}),
    out: values.out ?? null,
  };
}

/** Opens the configured database and checks it is reachable and migrated. */
async function openDatabase(): Promise<{ db: Knex; where: string; config: Config }> {
  const config = loadConfig();
  if (config.databaseUrl) {
    const where = `PostgreSQL at ${new URL(config.databaseUrl).host}`;
    const db = connect({ url: config.databaseUrl }, { poolMax: 4 });
    await checkOpen(db, where, '');
    return { db, where, config };
  }
  const dataDir = join(config.dataDir, 'pglite');
  const where = `the embedded database in ${dataDir}`;
  // PGlite would create an empty database in a missing directory: refuse instead.
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new CliError(`no embedded database in ${dataDir} (set DATA_DIR or DATABASE_URL, or run \`npm start\` once to create it)`);
  }
  let db: Knex;
  try {
    db = connect({ dataDir });
  } catch (err) {
    throw new CliError(`could not open ${where}: ${(err as Error).message}${EMBEDDED_HINT}`);
  }
  await checkOpen(db, where, EMBEDDED_HINT);
  return { db, where, config };
}

const EMBEDDED_HINT =
  '\n  The embedded PGlite database cannot be opened while `npm start` runs on it: stop the service first, or export over HTTP (GET /api/v1/exports/{format}).';

async function checkOpen(db: Knex, where: string, hint: string): Promise<void> {
  let current: boolean;
  try {
    current = await migrationsCurrent(db);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw new CliError(`could not open ${where}: ${(err as Error).message}${hint}`);
  }
  if (!current) {
    await db.destroy();
    throw new CliError(`${where} has pending migrations: run \`npm run db:migrate\` (or start the service) first`);
  }
}

class CliError extends Error {}

/**
 * Counts the records of the file as it streams by: CSV records (CRLF outside quotes, RFC 4180),
 * IIF lines, or JSON invoices (one per line). Header records are subtracted at the end.
 */
function recordCounter(format: ExportFormat): { add(chunk: string): void; rows(): number } {
  let count = 0;
  let inQuotes = false;
  if (format === 'json') {
    // jsonRecords writes each invoice as "\n{...}" or ",\n{...}" (JSON.stringify has no raw newline).
    let first = true;
    return {
      add(chunk) {
        if (first) {
          first = false; // the header "["
          return;
        }
        if (chunk.startsWith(']') || chunk.startsWith('\n]')) return; // the footer
        for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) count++;
      },
      rows: () => count,
    };
  }
  if (format === 'qbd-iif') {
    // IIF cells never hold line breaks (encodeIifCell flattens them); the header is 3 lines.
    return {
      add(chunk) {
        for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) count++;
      },
      rows: () => Math.max(0, count - 3),
    };
  }
  return {
    add(chunk) {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i);
        if (c === 34)
          inQuotes = !inQuotes; // '"' (a doubled quote toggles twice)
        else if (c === 10 && !inQuotes) count++;
      }
    },
    rows: () => Math.max(0, count - 1),
  };
}

function progressBar(done: number, total: number): string {
  const width = 30;
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} invoices (${Math.floor(share * 100)}%)\x1b[K`;
}

/** The bytes to write: a new export (recorded as a batch) or a recorded batch's file. */
async function openSource(db: Knex, config: Config, actor: Actor, args: Args) {
  if (args.batch) {
    const { batch, chunks } = await openBatchFile({ db }, actor, args.batch).catch((err: { code?: string }) => {
      throw err.code === 'not_found' ? new CliError(`no export batch ${args.batch} in portal ${args.portalId}`) : err;
    });
    return { format: batch.format as ExportFormat, total: batch.invoiceCount, chunks, batchId: batch.id, batch: true };
  }
  // Incremental exports take only what the target lacks: the progress total is an upper bound.
  const total = await countExportInvoices(db, args.portalId, args.filter);
  const overrides = { ...(args.dateFormat ? { dateFormat: args.dateFormat } : {}), ...(args.accountCode ? { accountCode: args.accountCode } : {}) };
  const started = await startExport({ db, clock: () => new Date(), config }, actor, {
    format: args.format,
    filter: args.filter,
    incremental: args.incremental,
    overrides,
  });
  return { format: args.format, total, chunks: started.chunks, batchId: started.batchId, batch: false };
}

async function main(): Promise<number> {
  const args = readArgs();
  const { db, config } = await openDatabase();
  const started = process.hrtime.bigint();
  const partial = args.out ? `${args.out}.partial` : null;
  try {
    const actor: Actor = { portalId: args.portalId, userId: 'cli', kind: 'system', scopes: ['exports'] };
    const source = await openSource(db, config, actor, args);
    const { total, chunks } = source;
    const tty = Boolean(process.stderr.isTTY);
    const counter = recordCounter(source.format);
    let bytes = 0;
    // Chunks: the header, then one per page of invoices (the batch's stored chunks when re-fetching).
    let pages = -1;
    let lastDraw = 0;
    const written = () => (source.batch ? total : Math.min(total, Math.max(0, pages) * PAGE_SIZE));
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const buf of chunks) {
        bytes += buf.length;
        counter.add(buf.toString('utf8'));
        pages++;
        if (tty && Date.now() - lastDraw >= 100) {
          lastDraw = Date.now();
          process.stderr.write(progressBar(written(), total));
        }
        yield buf;
      }
    }
    try {
      if (partial) {
        await pipeline(Readable.from(counted()), createWriteStream(partial));
        renameSync(partial, args.out!);
      } else {
        // stdout is not ours to close.
        await pipeline(Readable.from(counted()), process.stdout, { end: false });
      }
    } finally {
      if (tty) process.stderr.write(`${progressBar(written(), total)}\n`);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // The recorded count is exact (an incremental export takes fewer than the progress total).
    const recorded = await getBatch({ db }, actor, source.batchId);
    process.stderr.write(
      `export: ${source.format} portal ${args.portalId}: ${recorded.invoiceCount} invoices, ${counter.rows()} rows, ${bytes} bytes in ${seconds.toFixed(2)} s -> ${args.out ?? 'stdout'}` +
        ` (batch ${source.batchId}${source.batch ? ', re-fetched' : ''})\n`,
    );
    return 0;
  } catch (err) {
    if (partial) rmSync(partial, { force: true });
    throw err;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`export: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    const code = (err as { code?: unknown }).code;
    // Domain errors (e.g. export_not_reconciled, naming the invoice) and open failures: message only.
    if (err instanceof CliError || typeof code === 'string') process.stderr.write(`export: failed: ${(err as Error).message}\n`);
    else process.stderr.write(`export: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
