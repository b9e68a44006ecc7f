/**
 * Fault drill: restart PostgreSQL while clients create and finalize invoices through the running
 * service (its own OS process). Passes when the service recovers without being restarted itself
 * and no acknowledged write is lost: every draft answered 201 exists, every finalization
 * answered 200 kept its number, and the numbers stay gapless.
 *
 *   npm run fault:pg-restart [-- --seconds 20 --clients 8 --restart-at 4]
 *
 * Restarts the machine's PostgreSQL cluster with pg_ctlcluster (root, Debian layout): run it on
 * a development machine or CI box, never next to other work using the same server. Loopback only.
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/invoicing_faults).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { randomInt, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SCOPES } from '../../src/domain/actor.js';
import { issueApiToken } from '../../src/app/api-tokens.js';
import { connect } from '../../src/db/connect.js';
import { TEST_SECRET } from '../../test/helpers/app.js';
import { draftBody } from '../../test/helpers/factories.js';
import { freePort, startService } from '../../test/helpers/service-process.js';
import { ensureBenchDatabase, redact } from '../lib/database.js';
import { intOption, runMain } from '../lib/cli.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string' }, clients: { type: 'string' }, 'restart-at': { type: 'string' } },
});
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/invoicing_faults';
const seconds = intOption('seconds', values.seconds, 20, 1, 600);
const clients = intOption('clients', values.clients, 8, 1, 256);
const restartAt = intOption('restart-at', values['restart-at'], 4, 0, 600);

function restartPostgres(): number {
  const version = readdirSync('/etc/postgresql')[0]!;
  const started = Date.now();
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { stdio: 'inherit' });
  return Date.now() - started;
}

async function main(): Promise<void> {
  await ensureBenchDatabase(url);
  const service = await startService(url, await freePort());
  const portalId = randomInt(1_000_000, 2 ** 47);
  const auth = { authorization: `Bearer ${issueApiToken(TEST_SECRET, { portalId, userId: '1', scopes: SCOPES })}` };
  const created = new Set<string>();
  const finalized = new Map<string, string>();
  const errors = new Map<string, number>();
  let lastErrorAt = 0;
  let firstOkAfterRestart = 0;
  let restartDoneAt = 0;
  const fail = (what: string) => {
    errors.set(what, (errors.get(what) ?? 0) + 1);
    lastErrorAt = Date.now();
  };
  const ok = () => {
    if (restartDoneAt && !firstOkAfterRestart) firstOkAfterRestart = Date.now();
  };
  let longestMs = 0;
  const call = async (path: string, body?: object): Promise<Response | null> => {
    const started = Date.now();
    try {
      return await fetch(`${service.url}${path}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      fail('network');
      return null;
    } finally {
      longestMs = Math.max(longestMs, Date.now() - started);
    }
  };
  const end = Date.now() + seconds * 1000;
  const workers = Array.from({ length: clients }, async () => {
    while (Date.now() < end) {
      const res = await call('/api/v1/invoices', draftBody());
      if (!res) continue;
      if (res.status !== 201) {
        fail(`create ${res.status}`);
        await res.body?.cancel();
        continue;
      }
      const { id } = (await res.json()) as { id: string };
      created.add(id);
      ok();
      const fin = await call(`/api/v1/invoices/${id}/finalize`);
      if (!fin) continue;
      if (fin.status === 200) {
        finalized.set(id, ((await fin.json()) as { number: string }).number);
        ok();
      } else {
        fail(`finalize ${fin.status}`);
        await fin.body?.cancel();
      }
    }
  });
  await new Promise((r) => setTimeout(r, restartAt * 1000));
  const restartMs = restartPostgres();
  restartDoneAt = Date.now();
  await Promise.all(workers);

  const problems: string[] = [];
  if (service.child.exitCode !== null) problems.push(`the service exited (${service.child.exitCode})`);
  const ready = await fetch(`${service.url}/readyz`).then(
    (r) => r.status,
    () => 0,
  );
  if (ready !== 200) problems.push(`/readyz answered ${ready} after the drill`);
  const db = connect({ url });
  const rows = (await db('invoices').where({ portal_id: portalId }).select('id', 'number', 'number_seq', 'status')) as {
    id: string;
    number: string | null;
    number_seq: string | null;
    status: string;
  }[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const lostDrafts = [...created].filter((id) => !byId.has(id));
  const lostNumbers = [...finalized].filter(([id, number]) => byId.get(id)?.number !== number);
  const seqs = rows
    .filter((r) => r.number_seq !== null)
    .map((r) => Number(r.number_seq))
    .sort((a, b) => a - b);
  const gapless = seqs.every((s, i) => s === 1001 + i);
  await db.destroy();
  if (lostDrafts.length) problems.push(`${lostDrafts.length} acknowledged drafts lost`);
  if (lostNumbers.length) problems.push(`${lostNumbers.length} acknowledged finalizations lost or renumbered`);
  if (!gapless) problems.push('numbers have gaps');
  if (!firstOkAfterRestart) problems.push('no request succeeded after the restart');
  // A request cut by the restart must say so (503 database_unavailable, retry), never a 500.
  const fiveHundreds = [...errors].filter(([what]) => what.endsWith(' 500'));
  if (fiveHundreds.length) problems.push(`500s answered: ${JSON.stringify(Object.fromEntries(fiveHundreds))}`);

  service.child.kill('SIGTERM');
  const exit = await service.exited;
  console.log(`database ${redact(url)}; ${clients} clients for ${seconds} s; PostgreSQL restarted at ${restartAt} s (pg_ctlcluster took ${restartMs} ms)`);
  console.log(
    `acknowledged: ${created.size} drafts, ${finalized.size} finalizations; in the database: ${rows.length} invoices, ${seqs.length} numbered (gapless: ${gapless})`,
  );
  console.log(
    `errors seen by clients: ${JSON.stringify(Object.fromEntries(errors))}; last error ${lastErrorAt ? `${lastErrorAt - restartDoneAt} ms after the restart finished` : 'none'}`,
  );
  console.log(
    `first success after the restart: ${firstOkAfterRestart ? `${firstOkAfterRestart - restartDoneAt} ms` : 'never'}; longest request: ${longestMs} ms; service pid unchanged, exit on SIGTERM: ${exit}`,
  );
  if (problems.length) {
    console.log(`FAILED: ${problems.join('; ')}`);
    process.exit(1);
  }
  console.log('OK: recovered without a service restart, no acknowledged write lost');
}

runMain('fault:pg-restart', main);
