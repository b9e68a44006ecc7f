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
 * Asks the job queue to mirror the invoice now. Call it after the writes are committed (queue it
 * with `uow.afterCommit`). The intent itself is already in invoice_mirrors (written in the
 * command's transaction), so this is only a nudge: when it is lost (no queue, enqueue failure,
 * crash) the sweep picks the mirror up.
 */
export function nudgeInvoiceMirror(deps: { jobs?: JobQueue | undefined; logger?: Logger | undefined }, job: InvoiceMirrorJob): void {
  const jobs = deps.jobs;
  if (!jobs) return;
  jobs.enqueue(INVOICE_MIRROR_JOB, job, { singletonKey: mirrorJobKey(job) }).catch((err: unknown) => {
    deps.logger?.warn({ err, ...job }, 'could not enqueue the HubSpot mirror job; the sweep will pick it up');
  });
}
