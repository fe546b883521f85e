// What racy-counter and safe-counter share on the command line: the options,
// the check that keeps the count inside one Int32 cell, and what the number
// of cores means for a race.
import { availableParallelism } from 'node:os';
import { option, UsageError } from '@lab/harness';

export const counterOptions = {
  workers: option.int('threads (and async tasks) sharing the counter', {
    default: 4,
    min: 1,
    max: 64,
  }),
  increments: option.int('increments each of them makes', {
    default: 1_000_000,
    min: 1,
    max: 100_000_000,
  }),
  json: option.flag('print one JSON object instead of the summary'),
};

const INT32_MAX = 2 ** 31 - 1;

/** The counter is one Int32 cell: W x K must fit in it, or even the fixes would wrap around. */
export function checkTotal(workers: number, increments: number): void {
  if (workers * increments > INT32_MAX) {
    throw new UsageError(
      `--workers x --increments must be at most ${INT32_MAX} (one Int32 cell), got ${workers * increments}`,
    );
  }
}

/** What the number of cores means for the thread race, said the same way by both programs. */
export function coresNote(): string {
  const cores = availableParallelism();
  return cores > 1
    ? `  ${cores} cores: the threads run at the same time, and one thread's write lands between another's read and write: updates are lost on nearly every run.`
    : '  1 core: the threads take turns; one switched out between its read and its write later writes a stale value over all the others counted meanwhile. A count that fits in one time slice loses nothing.';
}

export const opsPerSec = (count: number, wallMs: number) =>
  wallMs > 0 ? Math.round(count / (wallMs / 1000)) : 0;
