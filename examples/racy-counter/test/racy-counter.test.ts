import { availableParallelism } from 'node:os';
import { measureCount } from '@lab/counter';
import { endsEveryThread } from '@lab/counter/testing';
import { describe, expect, it } from 'vitest';
import {
  countWithAsyncAwait,
  countWithoutAwait,
  countWithThreads,
  TURN_EVERY,
} from '../src/racy-counter.ts';

const cores = availableParallelism();
const counts = (count: { expected: number; actual: number }) => [count.expected, count.actual];

describe('the async race', () => {
  it('ends at exactly the increments of one task: every task reads before any writes', async () => {
    expect(counts(await countWithAsyncAwait(4, 1000))).toEqual([4000, 1000]);
    expect(counts(await countWithAsyncAwait(7, 123))).toEqual([861, 123]);
    // Past the event-loop turns every TURN_EVERY rounds, still exactly one task's worth.
    expect(counts(await countWithAsyncAwait(3, 3 * TURN_EVERY + 5))).toEqual([
      9 * TURN_EVERY + 15,
      3 * TURN_EVERY + 5,
    ]);
  });

  it('is not there without an await between the read and the write', async () => {
    expect(counts(await countWithoutAwait(4, 100))).toEqual([400, 400]);
    // Every increment of every task runs, past the event-loop turns.
    expect(counts(await countWithoutAwait(3, TURN_EVERY + 1))).toEqual([
      3 * (TURN_EVERY + 1),
      3 * (TURN_EVERY + 1),
    ]);
    expect(counts(await countWithoutAwait(4, 3 * TURN_EVERY + 5))).toEqual([
      12 * TURN_EVERY + 20,
      12 * TURN_EVERY + 20,
    ]);
  });

  it('stops when the signal aborts, though its tasks never wait for anything real', async () => {
    // These counts would take seconds; the abort comes after 50 ms.
    await expect(
      countWithAsyncAwait(4, 100_000_000, { signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow(/timeout/);
    await expect(
      countWithoutAwait(64, 30_000_000, { signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow(/timeout/);
  });
});

describe('the thread race', () => {
  if (cores < 2) {
    console.warn(
      `skipping "loses updates": ${cores} core, where a loss needs the OS to switch a thread out between its read and its write, which a few tries need not catch`,
    );
  }
  it.skipIf(cores < 2)(
    'loses updates in at least one of a few tries on two or more cores',
    async () => {
      let lost = 0;
      for (let attempt = 0; attempt < 5 && lost === 0; attempt++) {
        const { expected, actual } = await countWithThreads(4, 1_000_000);
        expect(actual).toBeLessThanOrEqual(expected);
        lost = expected - actual;
      }
      expect(lost).toBeGreaterThan(0);
    },
  );

  it('loses nothing with one thread alone: the race needs two', async () => {
    expect(counts(await countWithThreads(1, 500_000))).toEqual([500_000, 500_000]);
  });

  it('has the start-up of its threads measured apart from the counting, from outside', async () => {
    const { startupMs, countMs } = await measureCount(countWithThreads, 2, 1000);
    expect(startupMs).toBeGreaterThan(0);
    expect(countMs).toBeGreaterThan(0);
  });

  it('rejects with the failing thread named when one of them throws', async () => {
    const { stdout } = await endsEveryThread(
      new URL('../src/racy-counter.ts', import.meta.url),
      'countWithThreads',
      'fail',
    );
    expect(stdout).toMatch(/^thread \d failed: failed on purpose\n$/);
  });
});
