import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { JobQueue } from './ports/job-queue.js';

/** The job that mirrors one invoice into HubSpot (src/app/sync-invoice-mirror.ts). */
export const INVOICE_MIRROR_JOB = 'invoice-mirror-sync';

export interface InvoiceMirrorJob {
  portalId: number;
  invoiceId: string;
}

/** One waiting job per invoice: nudges for the same invoice collapse. */
export function mirrorJobKey(job: InvoiceMirrorJob): string {
  return `${job.portalId}:${job.invoiceId}`;
}

/**
 * Asks the job queue to mirror the invoice now, once the caller's writes are committed. The
 * intent itself is already in invoice_mirrors (written in the caller's transaction), so this is
 * only a nudge: when it is lost (no queue, enqueue failure, crash) the sweep picks the mirror up.
 *
 * `db` may be a transaction the caller runs inside (an Idempotency-Key request wraps the use case
 * in one): then the nudge waits for the outermost transaction to end. knex settles that promise on
 * rollback too, so a nudge can follow a rollback; the job then finds nothing to do.
 */
export function nudgeInvoiceMirror(deps: { db: Knex; jobs?: JobQueue | undefined; logger?: Logger | undefined }, job: InvoiceMirrorJob): void {
  const jobs = deps.jobs;
  if (!jobs) return;
  const send = () => {
    jobs.enqueue(INVOICE_MIRROR_JOB, job, { singletonKey: mirrorJobKey(job) }).catch((err: unknown) => {
      deps.logger?.warn({ err, ...job }, 'could not enqueue the HubSpot mirror job; the sweep will pick it up');
    });
  };
  if (!deps.db.isTransaction) {
    send();
    return;
  }
  let root = deps.db as Knex.Transaction;
  while (root.parentTransaction) root = root.parentTransaction;
  root.executionPromise.then(send, () => undefined);
}
