import { TURN_EVERY } from 'racy-counter';
import { describe, expect, it } from 'vitest';
import {
  countWithAsyncMutex,
  countWithAtomics,
  countWithLock,
  countWithMessages,
} from '../src/safe-counter.ts';

const counts = (count: { expected: number; actual: number }) => [count.expected, count.actual];

describe.each([
  ['Atomics.add', countWithAtomics],
  ['a lock', countWithLock],
  ['message passing', countWithMessages],
])('the thread race fixed with %s', (_fix, count) => {
  it('is exact on every one of several stress runs with 8 threads', async () => {
    for (let run = 0; run < 5; run++) {
      expect(counts(await count(8, 250_000))).toEqual([2_000_000, 2_000_000]);
    }
  });

  it('is exact with more threads than cores, and with one increment each', async () => {
    expect(counts(await count(16, 50_000))).toEqual([800_000, 800_000]);
    expect(counts(await count(5, 1))).toEqual([5, 5]);
  });
});

describe('the async race fixed with p-limit(1)', () => {
  it('is exact, though every task still awaits between its read and its write', async () => {
    expect(counts(await countWithAsyncMutex(8, 5_000))).toEqual([40_000, 40_000]);
    expect(counts(await countWithAsyncMutex(3, TURN_EVERY + 7))).toEqual([
      3 * (TURN_EVERY + 7),
      3 * (TURN_EVERY + 7),
    ]);
  });

  it('stops when the signal aborts', async () => {
    await expect(
      countWithAsyncMutex(8, 10_000_000, { signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow(/timeout/);
  });
});
