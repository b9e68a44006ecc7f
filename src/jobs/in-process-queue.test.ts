import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { jobRuns } from '../observability/metrics.js';
import { InProcessQueue } from './in-process-queue.js';

const runs = async (queue: string, outcome: string) =>
  (await jobRuns.get()).values.find((v) => v.labels.queue === queue && v.labels.outcome === outcome)?.value ?? 0;

describe('in-process queue metrics', () => {
  it('reports waiting jobs per queue and counts runs by outcome', async () => {
    let now = 0;
    const queue = new InProcessQueue({ logger: pino({ level: 'silent' }), now: () => now, backoffMs: () => 1000 });
    let calls = 0;
    await queue.work('metrics-test', async () => {
      calls += 1;
      if (calls === 1) throw new Error('first attempt fails');
    });
    await queue.work('metrics-idle', async () => undefined);
    await queue.enqueue('metrics-test', {}, { singletonKey: 'a' });
    await queue.enqueue('metrics-test', {}, { singletonKey: 'b' });
    expect(await queue.depths()).toEqual({ 'metrics-test': 2, 'metrics-idle': 0 });

    const [completed, failed] = [await runs('metrics-test', 'completed'), await runs('metrics-test', 'failed')];
    await queue.runDue();
    // One failed (and waits for its retry), one completed.
    expect(await queue.depths()).toEqual({ 'metrics-test': 1, 'metrics-idle': 0 });
    now += 1000;
    await queue.runDue();
    expect(await queue.depths()).toEqual({ 'metrics-test': 0, 'metrics-idle': 0 });
    expect((await runs('metrics-test', 'completed')) - completed).toBe(2);
    expect((await runs('metrics-test', 'failed')) - failed).toBe(1);
  });
});
