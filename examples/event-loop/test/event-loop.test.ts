import { describe, expect, it } from 'vitest';
import { runOnWorker } from '../src/event-loop.ts';

describe('the job on a worker thread', () => {
  it('reports a job that throws on the worker, and leaves no thread behind', async () => {
    const before = process.getActiveResourcesInfo().length;
    await expect(runOnWorker([{ index: 0, kind: 'squares', n: -1 }])).rejects.toThrow(
      /n must be a whole number/,
    );
    // Nothing of the run is left: at most what was there before (an earlier file's may have ended since).
    expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(before);
  });
});
