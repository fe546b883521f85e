// The loop's delay and missed ticks under a CPU job: measured in real time, so alone.
import { calibrate, makeTasks } from '@lab/job';
import { describe, expect, it } from 'vitest';
import { runBlocking, runChunked, runOnWorker } from '../src/event-loop.ts';
import { startHeartbeat } from '../src/heartbeat.ts';

// About half a second of work, on whatever machine this is.
const tasks = makeTasks('squares', 6, calibrate('squares', 6, 0.5).base);

async function measure(run: typeof runBlocking) {
  const heartbeat = startHeartbeat();
  const start = performance.now();
  const results = await run(tasks);
  const jobMs = performance.now() - start;
  return { results, jobMs, ...heartbeat.stop() };
}

describe('the event loop under a CPU job', () => {
  it('stalls for most of the job when the job blocks it', async () => {
    const blocked = await measure(runBlocking);
    expect(blocked.delayMaxMs).toBeGreaterThanOrEqual(blocked.jobMs * 0.8);
    expect(blocked.ticksMissed).toBeGreaterThan(blocked.jobMs / 10 / 2);
  });

  it('stays responsive when the job yields between slices, or runs on a worker', async () => {
    const blocked = await measure(runBlocking);
    for (const run of [runChunked, runOnWorker]) {
      const responsive = await measure(run);
      expect(responsive.results).toEqual(blocked.results);
      expect(responsive.delayP99Ms).toBeLessThan(blocked.delayMaxMs * 0.2);
      expect(responsive.ticksMissed).toBeLessThan(blocked.ticksMissed / 2);
    }
  });
});
