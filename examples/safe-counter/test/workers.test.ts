import { endsEveryThread } from '@lab/counter/testing';
import { describe, expect, it } from 'vitest';

// A thread left running keeps its process alive: each case runs the count in
// a child process that must end on its own, after a count only ending its
// threads can stop (some of them asleep, as in a contended lock).
const safe = new URL('../src/safe-counter.ts', import.meta.url);

describe.each(['countWithAtomics', 'countWithLock', 'countWithMessages'])(
  'every thread of %s is ended',
  (count) => {
    it('when one thread throws while the others wait at the gate', async () => {
      const { code, stdout } = await endsEveryThread(safe, count, 'fail');
      expect([code, stdout]).toEqual([
        0,
        expect.stringMatching(/^thread \d failed: failed on purpose\n$/),
      ]);
    });

    it('when the signal aborts in the middle of the count', async () => {
      expect(await endsEveryThread(safe, count, 'abort')).toEqual({
        code: 0,
        stdout: 'cancelled\n',
      });
    });
  },
);
