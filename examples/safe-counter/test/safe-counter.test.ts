import { describe, expect, it } from 'vitest';
import {
  countWithAsyncMutex,
  countWithAtomics,
  countWithLock,
  countWithMessages,
} from '../src/safe-counter.ts';

describe.each([
  ['Atomics.add', countWithAtomics],
  ['a futex lock', countWithLock],
  ['message passing', countWithMessages],
])('fixed with %s', (_name, count) => {
  it('is exact on every one of several stress runs with 8 threads', async () => {
    for (let run = 0; run < 4; run++) {
      expect(await count(8, 200_000)).toEqual({ expected: 1_600_000, actual: 1_600_000 });
    }
  });
});

describe('the async race fixed with p-limit(1)', () => {
  it('is exact, though every task still awaits between its read and its write', async () => {
    expect(await countWithAsyncMutex(8, 5_000)).toEqual({ expected: 40_000, actual: 40_000 });
  });
});
