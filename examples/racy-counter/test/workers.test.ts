import { endsEveryThread } from '@lab/counter/testing';
import { describe, expect, it } from 'vitest';

// A thread left running keeps its process alive: each case runs the count in
// a child process that must end on its own, after a count only ending its
// threads can stop.
const racy = new URL('../src/racy-counter.ts', import.meta.url);

describe('every racing thread is ended', () => {
  it('when one thread throws while the others wait at the gate', async () => {
    const { code, stdout } = await endsEveryThread(racy, 'countWithThreads', 'fail');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^thread \d failed: failed on purpose\n$/);
  });

  it('when the signal aborts in the middle of the count', async () => {
    expect(await endsEveryThread(racy, 'countWithThreads', 'abort')).toEqual({
      code: 0,
      stdout: 'cancelled\n',
    });
  });
});
