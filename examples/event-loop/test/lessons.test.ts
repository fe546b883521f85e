// The lesson file is a program: run alone with this Node, it runs the job
// each way, says how each went and how long it took, and exits 0.
import { runMain } from '@lab/harness/testing';
import { describe, expect, it } from 'vitest';

describe('event-loop.ts, run alone', () => {
  it('runs the job three ways and prints each one with its time', async () => {
    const { code, stdout, stderr } = await runMain(
      new URL('../src/event-loop.ts', import.meta.url),
      [],
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const way of ['runBlocking', 'runChunked', 'runOnWorker']) {
      expect(stdout).toMatch(
        new RegExp(`^${way}: 10 sums in \\d+\\.\\d\\d s; heartbeat ticks missed: \\d+;`, 'm'),
      );
    }
  });
});
